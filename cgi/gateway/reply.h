/* reply.h — answering a request: JSON bodies and application/problem+json
 * errors.  Each returns the HTTP status it sent. */
#ifndef PAYGW_REPLY_H
#define PAYGW_REPLY_H

#include "gateway/problems.h"
#include "gateway/request.h"

#include <jansson.h>

/* Sends `body` (taken over: decref'd) as application/json. */
int reply_json(struct request *rq, int status, json_t *body);

/* Sends already serialised JSON text (a stored idempotent answer). */
int reply_raw_json(struct request *rq, int status, const char *text);

/* Sends a problem+json answer: type, title, status, code, detail, and the
 * request id.  detail must never hold a card number, password or key. */
int reply_problem(struct request *rq, enum problem p, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As reply_problem, with extra members merged into the body (taken over). */
int reply_problem_extra(struct request *rq, enum problem p, json_t *extra, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Answers a failed database transaction: 503 outcome_unknown with
 * Retry-After when its COMMIT's answer was lost and its outcome could not
 * be read (db_in_doubt(rq->db), see lib/db), else 503
 * database_unavailable with detail. */
int reply_db_failed(struct request *rq, const char *detail);

/* Adds a response header to the next reply of this request (e.g.
 * "Retry-After: 5").  At most a few per request. */
void reply_add_header(struct request *rq, const char *line);

#endif
