/* request.h — everything one HTTP request owns while a shop worker handles
 * it.  Reset between requests; handlers read it, never keep it. */
#ifndef SHOP_REQUEST_H
#define SHOP_REQUEST_H

#include "shop/order_code.h"

#include "web/request.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct tmpl_set;

/* The browser session, when the request has a live one (session.c). */
struct session {
  int64_t id;
  char csrf[33];
  bool is_admin;
};

/* web comes first: lib/web's worker loop and answer writer take &rq->web,
 * and shop_request_of turns it back into this struct. */
struct shop_request {
  struct web_request web; /* method, path, body, answer headers, status */
  struct db *db;
  const struct tmpl_set *templates;

  char query[256];
  char code[ORDER_CODE_LEN + 1]; /* the {CODE} of the route, normalised */

  bool has_session;
  struct session session;
};

static inline struct shop_request *shop_request_of(struct web_request *w)
{
  return (struct shop_request *)w; /* web is the first member */
}

/* A request header by its CGI name ("HTTP_COOKIE"), or NULL. */
const char *request_header(const struct shop_request *rq, const char *cgi_name);

/* Reads the query and the body (at most max_body bytes; over it, answers
 * 413 itself and returns -1). */
int request_read(struct shop_request *rq, size_t max_body);

/* The value of ?name=... (not decoded) into out, or -1 if absent. */
int request_query_param(const struct shop_request *rq, const char *name, char *out, size_t outlen);

/* True when the request's Content-Type is type (parameters ignored). */
bool request_content_type_is(const struct shop_request *rq, const char *type);

/* Between two requests (lib/web's worker, after web_request_reset):
 * clears the shop's own fields, keeping db and templates. */
void request_reset(struct web_request *w);

#endif
