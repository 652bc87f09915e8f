/* reply.h — answering a request: JSON bodies and application/problem+json
 * errors.  Each returns the HTTP status it sent. */
#ifndef PAYGW_REPLY_H
#define PAYGW_REPLY_H

#include "gateway/problems.h"
#include "gateway/request.h"

#include <jansson.h>
#include <stdbool.h>

/* Sends `body` (taken over: decref'd) as application/json. */
int reply_json(struct request *rq, int status, json_t *body);

/* Sends already serialised JSON text (a stored idempotent answer). */
int reply_raw_json(struct request *rq, int status, const char *text);

/* Sends text as it is, with its content type (GET /metrics). */
int reply_text(struct request *rq, int status, const char *content_type, const char *text);

/* Sends a problem+json answer: type, title, status, code, detail, and the
 * request id.  detail must never hold a card number, password or key. */
int reply_problem(struct request *rq, enum problem p, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As reply_problem, with extra members merged into the body (taken over). */
int reply_problem_extra(struct request *rq, enum problem p, json_t *extra, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The two kinds of failure, told apart in code and in the log (both write
 * the file and line of the reply site):
 *   CLIENT_FAULT(rq, code, fmt, ...)  the request is refused for what the
 *       client sent or asked (a 4xx code): logged at info level;
 *   BUG(rq, fmt, ...)  a broken invariant, our fault: 500 internal_error,
 *       logged at error level (log_bug).
 * The _EXTRA forms merge members into the answer (taken over); BUG_PROBLEM
 * answers another 500 code.  Each returns the status sent.  A 502/503 (the
 * database or the issuer is away: neither) stays reply_problem /
 * reply_db_failed. */
#define CLIENT_FAULT(rq, code, ...) reply_fault((rq), __FILE__, __LINE__, false, (code), NULL, __VA_ARGS__)
#define CLIENT_FAULT_EXTRA(rq, code, extra, ...)                                                                       \
  reply_fault((rq), __FILE__, __LINE__, false, (code), (extra), __VA_ARGS__)
#define BUG(rq, ...) reply_fault((rq), __FILE__, __LINE__, true, PROBLEM_INTERNAL, NULL, __VA_ARGS__)
#define BUG_PROBLEM(rq, code, extra, ...) reply_fault((rq), __FILE__, __LINE__, true, (code), (extra), __VA_ARGS__)

/* What the macros above call: logs (error level when bug, else info) and
 * answers as reply_problem_extra.  A code whose status does not fit the
 * kind (a 4xx for a bug, a 5xx for a client fault) is logged as a bug too. */
int reply_fault(struct request *rq, const char *file, int line, bool bug, enum problem p, json_t *extra,
                const char *detail_fmt, ...) __attribute__((format(printf, 7, 8)));

/* Answers a failed database transaction: 503 outcome_unknown with
 * Retry-After when its COMMIT's answer was lost and its outcome could not
 * be read (db_in_doubt(rq->db), see lib/db), else 503
 * database_unavailable with detail. */
int reply_db_failed(struct request *rq, const char *detail);

/* Adds a response header to the next reply of this request (e.g.
 * "Retry-After: 5").  At most a few per request. */
void reply_add_header(struct request *rq, const char *line);

#endif
