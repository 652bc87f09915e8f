/* reply.c — writing answers to the FastCGI stream. */
#include "gateway/reply.h"
#include "gateway/answer_log.h"
#include "db/db.h"
#include "common/log.h"
#include "common/pan.h"
#include "common/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_EXTRA_HEADERS 4

static char extra_headers[MAX_EXTRA_HEADERS][128];
static int n_extra_headers;

void reply_add_header(struct request *rq, const char *line)
{
  (void)rq;
  if (n_extra_headers < MAX_EXTRA_HEADERS)
    snprintf(extra_headers[n_extra_headers++], sizeof extra_headers[0], "%s", line);
}

/* libfcgi's FCGX_FPrintF knows only a few conversions, so the head is
 * formatted with snprintf and written in one piece. */
static int send_body(struct request *rq, int status, const char *content_type, const char *text)
{
  FCGX_Stream *out = rq->fcgx->out;
  char head[1024];
  size_t body_len = strlen(text);
  int n =
      snprintf(head, sizeof head, "Status: %d\r\nContent-Type: %s\r\nCache-Control: no-store\r\nX-Request-Id: %s\r\n",
               status, content_type, rq->request_id);

  for (int i = 0; i < n_extra_headers && n < (int)sizeof head; i++)
    n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", extra_headers[i]);
  n_extra_headers = 0;
  if (n < (int)sizeof head)
    n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\n\r\n", body_len);
  if (n >= (int)sizeof head)
    n = snprintf(head, sizeof head, "Status: 500\r\nContent-Length: %zu\r\n\r\n", body_len);
  FCGX_PutStr(head, n, out);
  FCGX_PutStr(text, (int)body_len, out);
  answer_log_answer(rq, status, content_type, text); /* PAYGW_ANSWER_LOG, for the tests */
  rq->status = status;
  return status;
}

int reply_json(struct request *rq, int status, json_t *body)
{
  char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
  int rc;

  json_decref(body);
  if (!text)
    return send_body(rq, 500, "application/problem+json",
                     "{\"title\":\"Internal error\",\"status\":500,\"code\":\"internal_error\"}");
  rc = send_body(rq, status, "application/json", text);
  free(text);
  return rc;
}

int reply_raw_json(struct request *rq, int status, const char *text)
{
  return send_body(rq, status, "application/json", text);
}

int reply_text(struct request *rq, int status, const char *content_type, const char *text)
{
  return send_body(rq, status, content_type, text);
}

/* The detail as the client may read it (and the log may hold it). */
static void format_detail(char *detail, size_t len, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

static void format_detail(char *detail, size_t len, const char *fmt, va_list ap)
{
  vsnprintf(detail, len, fmt, ap);
  utf8_scrub(detail); /* it may quote the path or a header, or end mid-character */
  pan_scrub(detail);  /* or a card number sent in the wrong field */
}

static int send_problem(struct request *rq, enum problem p, json_t *extra, const char *detail)
{
  const struct problem_info *info = problem_info(p);
  char type[96];

  snprintf(type, sizeof type, "https://paygw.example/problems/%s", info->code);
  if (p == PROBLEM_DB_UNAVAILABLE) {
    /* a worker waits PAYGW_DB_RECONNECT_MS for the database, then answers
     * this: the client comes back a little after that wait (a failover
     * takes longer, and the next answer says so again) */
    char retry[40];
    snprintf(retry, sizeof retry, "Retry-After: %ld", (rq->db ? db_reconnect_wait_ms(rq->db) : 2000) / 1000 + 1);
    reply_add_header(rq, retry);
  }
  json_t *body =
      json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "type", type, "title", info->title, "status", info->status,
                "code", info->code, "detail", detail, "hint", info->hint, "request_id", rq->request_id);
  if (extra) {
    json_object_update_missing(body, extra);
    json_decref(extra);
  }
  char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(body);
  rq->problem = info->code;
  int rc = send_body(rq, info->status, "application/problem+json", text ? text : "{}");
  free(text);
  return rc;
}

static int send_problem_v(struct request *rq, enum problem p, json_t *extra, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static int send_problem_v(struct request *rq, enum problem p, json_t *extra, const char *fmt, va_list ap)
{
  char detail[512];

  format_detail(detail, sizeof detail, fmt, ap);
  return send_problem(rq, p, extra, detail);
}

int reply_fault(struct request *rq, const char *file, int line, bool bug, enum problem p, json_t *extra,
                const char *fmt, ...)
{
  const struct problem_info *info = problem_info(p);
  char detail[512];
  va_list ap;

  va_start(ap, fmt);
  format_detail(detail, sizeof detail, fmt, ap);
  va_end(ap);
  if (bug != (info->status >= 500))
    log_bug(file, line, "%s answered as a %s", info->code, bug ? "bug" : "client fault");
  if (bug)
    log_bug(file, line, "%s: %s (request %s)", info->code, detail, rq->request_id);
  else /* the request's own log line (main.c) has its method and path */
    log_client_fault(file, line, "%s: %s (request %s)", info->code, detail, rq->request_id);
  return send_problem(rq, p, extra, detail);
}

int reply_problem(struct request *rq, enum problem p, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = send_problem_v(rq, p, NULL, fmt, ap);
  va_end(ap);
  return rc;
}

int reply_problem_extra(struct request *rq, enum problem p, json_t *extra, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = send_problem_v(rq, p, extra, fmt, ap);
  va_end(ap);
  return rc;
}

int reply_db_failed(struct request *rq, const char *detail)
{
  char retry[40];

  if (!rq->db || !db_in_doubt(rq->db))
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "%s", detail); /* with its Retry-After: send_problem */
  /* by then the database is back, or the operator has been told */
  snprintf(retry, sizeof retry, "Retry-After: %ld", db_in_doubt_wait_ms(rq->db) / 1000 + 1);
  reply_add_header(rq, retry);
  return reply_problem(rq, PROBLEM_OUTCOME_UNKNOWN,
                       "the connection to the database broke while this request's changes were being "
                       "committed, and whether they were could not be read: read the state before sending "
                       "it again, or send it again with the same Idempotency-Key");
}
