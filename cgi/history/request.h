/* request.h — everything one HTTP request owns while a history worker
 * handles it.  Reset between requests; handlers read it, never keep it. */
#ifndef HISTORY_REQUEST_H
#define HISTORY_REQUEST_H

#include "fcgireq/fcgireq.h"

#include <fcgiapp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;
struct tmpl_set;

#define HISTORY_USER_ID_MAX 32
#define HISTORY_NUMBER_LEN 16 /* a transaction number: 16 of 0-9 A-Z */
#define HISTORY_CSRF_HEX 32

/* The signed-in user's session, when the request has a live one
 * (session.c).  user_id is the only user whose transactions a handler may
 * read. */
struct history_session {
  int64_t id;
  char user_id[HISTORY_USER_ID_MAX + 1];
  char csrf[HISTORY_CSRF_HEX + 1];
};

#define REPLY_MAX_HEADERS 4

struct history_request {
  FCGX_Request *fcgx;
  struct db *db;
  const struct tmpl_set *templates;

  char request_id[FCGIREQ_ID_LEN + 1];
  char method[8];
  char path[256];
  char query[1024];                    /* as sent, not decoded: form_parse (lib/web) decodes it */
  char number[HISTORY_NUMBER_LEN + 1]; /* the {NUMBER} of the route */

  char *body; /* NUL-terminated, malloc'd */
  size_t body_len;

  bool has_session; /* a live session: session below is filled */
  struct history_session session;
  char headers[REPLY_MAX_HEADERS][320]; /* extra response header lines */
  int n_headers;

  int status;          /* answered, for the log */
  const char *problem; /* what was refused (a short word), or NULL */
  struct timespec started;
};

/* A request header by its CGI name ("HTTP_COOKIE"), or NULL. */
const char *request_header(const struct history_request *rq, const char *cgi_name);

/* Reads method, path, query and the body (at most max_body bytes; over
 * it, answers 413 itself and returns -1).  A query longer than
 * rq->query holds is answered 414 (-1). */
int request_read(struct history_request *rq, size_t max_body);

/* True when the request's Content-Type is type (parameters ignored). */
bool request_content_type_is(const struct history_request *rq, const char *type);

void request_reset(struct history_request *rq);

#endif
