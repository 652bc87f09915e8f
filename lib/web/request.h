/* request.h — what every web page program's request holds (shop.fcgi,
 * history.fcgi): the request line, its ID, the body, the extra answer
 * headers and what was answered, for the log line.  Each program embeds a
 * struct web_request as the FIRST member of its own request struct (its
 * query, route slot, session and database stay there), so the worker loop
 * (worker.h) and the answer writer (answer.h) serve both. */
#ifndef PAYGW_WEB_REQUEST_H
#define PAYGW_WEB_REQUEST_H

#include "fcgireq/fcgireq.h"

#include <fcgiapp.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define WEB_MAX_HEADERS 4

struct web_request {
  FCGX_Request *fcgx;
  char request_id[FCGIREQ_ID_LEN + 1];
  char method[8];
  char path[256];

  char *body; /* NUL-terminated, malloc'd (web_request_body) */
  size_t body_len;

  char headers[WEB_MAX_HEADERS][320]; /* extra answer header lines */
  int n_headers;

  int status;          /* answered, for the log */
  const char *problem; /* what was refused (a short word), or NULL */
  struct timespec started;
};

/* Starts a request: the clock, its ID, method and path. */
void web_request_start(struct web_request *w);

/* Reads the body, at most max_body bytes (CONTENT_LENGTH is never
 * trusted): 0, or the status the program must answer (413 over the limit,
 * 500 out of memory) in its own words. */
int web_request_body(struct web_request *w, size_t max_body);

/* A request header by its CGI name ("HTTP_COOKIE"), or NULL. */
const char *web_request_header(const struct web_request *w, const char *cgi_name);

/* True when the request's Content-Type is type (parameters ignored). */
bool web_request_content_type_is(const struct web_request *w, const char *type);

/* True when the Content-Type value ct (may be NULL) is type, whatever its
 * parameters ("text/plain; charset=utf-8" is "text/plain"). */
bool web_content_type_matches(const char *ct, const char *type);

/* Frees the body and clears everything but the FastCGI request. */
void web_request_reset(struct web_request *w);

#endif
