/* request.h — everything one HTTP request owns while a history worker
 * handles it.  Reset between requests; handlers read it, never keep it. */
#ifndef HISTORY_REQUEST_H
#define HISTORY_REQUEST_H

#include "web/request.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* web comes first: lib/web's worker loop and answer writer take &rq->web,
 * and history_request_of turns it back into this struct. */
struct history_request {
  struct web_request web; /* method, path, body, answer headers, status */
  struct db *db;
  const struct tmpl_set *templates;

  char query[1024];                    /* as sent, not decoded: form_parse (lib/web) decodes it */
  char number[HISTORY_NUMBER_LEN + 1]; /* the {NUMBER} of the route */

  bool has_session; /* a live session: session below is filled */
  struct history_session session;
};

static inline struct history_request *history_request_of(struct web_request *w)
{
  return (struct history_request *)w; /* web is the first member */
}

/* A request header by its CGI name ("HTTP_COOKIE"), or NULL. */
const char *request_header(const struct history_request *rq, const char *cgi_name);

/* Reads the query and the body (at most max_body bytes; over it, answers
 * 413 itself and returns -1).  A query longer than rq->query holds is
 * answered 414 (-1). */
int request_read(struct history_request *rq, size_t max_body);

/* True when the request's Content-Type is type (parameters ignored). */
bool request_content_type_is(const struct history_request *rq, const char *type);

/* Between two requests (lib/web's worker, after web_request_reset):
 * clears the history's own fields, keeping db and templates. */
void request_reset(struct web_request *w);

#endif
