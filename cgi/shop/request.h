/* request.h — everything one HTTP request owns while a shop worker handles
 * it.  Reset between requests; handlers read it, never keep it. */
#ifndef SHOP_REQUEST_H
#define SHOP_REQUEST_H

#include "shop/order_code.h"

#include "fcgireq/fcgireq.h"

#include <fcgiapp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;
struct tmpl_set;

/* The browser session, when the request has a live one (session.c). */
struct session {
  int64_t id;
  char csrf[33];
  bool is_admin;
};

#define REPLY_MAX_HEADERS 4

struct shop_request {
  FCGX_Request *fcgx;
  struct db *db;
  const struct tmpl_set *templates;

  char request_id[FCGIREQ_ID_LEN + 1];
  char method[8];
  char path[256];
  char query[256];
  char code[ORDER_CODE_LEN + 1]; /* the {CODE} of the route, normalised */

  char *body; /* NUL-terminated, malloc'd */
  size_t body_len;

  bool has_session;
  struct session session;
  char headers[REPLY_MAX_HEADERS][320]; /* extra response header lines */
  int n_headers;

  int status;          /* answered, for the log */
  const char *problem; /* the problem code answered, or NULL */
  struct timespec started;
};

/* A request header by its CGI name ("HTTP_COOKIE"), or NULL. */
const char *request_header(const struct shop_request *rq, const char *cgi_name);

/* Reads method, path, query and the body (at most max_body bytes; over
 * it, answers 413 itself and returns -1). */
int request_read(struct shop_request *rq, size_t max_body);

/* The value of ?name=... (not decoded) into out, or -1 if absent. */
int request_query_param(const struct shop_request *rq, const char *name, char *out, size_t outlen);

/* True when the request's Content-Type is type (parameters ignored). */
bool request_content_type_is(const struct shop_request *rq, const char *type);

void request_reset(struct shop_request *rq);

#endif
