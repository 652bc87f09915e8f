/* history_list.c — db_history_list: one page of the list (or one chunk of
 * the CSV) by keyset: the rows after or before a (created_at, id) cursor,
 * within the date range, of every status or of one.  Four statements, one
 * per direction and filter, so that each is a plain index range scan with
 * no "OR $n IS NULL" a generic plan could not use (sql/0020). */
#include "history/db/history_db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define LIST_SELECT                                                                                                    \
  "SELECT t.id, (extract(epoch FROM t.created_at) * 1000000)::bigint AS us, t.number,"                                 \
  "       to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created,"                                  \
  "       m.name AS merchant, m.shop_name AS shop, t.total, t.currency, coalesce(t.method, '') AS method,"             \
  "       t.installments::integer AS installments, t.status, coalesce(t.card_masked, '') AS card_masked,"              \
  "       coalesce(left(t.approval_code, 15), '') AS approval_code"                                                    \
  "  FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id"                                     \
  " WHERE t.user_id = $1"                                                                                              \
  "   AND t.created_at >= $2::date::timestamp AT TIME ZONE 'UTC'"                                                      \
  "   AND t.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'"
#define OLDER " AND (t.created_at, t.id) < ($4::timestamptz, $5::bigint)"
#define NEWER " AND (t.created_at, t.id) > ($4::timestamptz, $5::bigint)"
#define BY_STATUS " AND t.status = $7"
#define DOWN " ORDER BY t.created_at DESC, t.id DESC LIMIT $6"
#define UP " ORDER BY t.created_at, t.id LIMIT $6"

static struct db_statement older_all = DB_STATEMENT("history_older", DB_READ, 6, LIST_SELECT OLDER DOWN);
static struct db_statement newer_all = DB_STATEMENT("history_newer", DB_READ, 6, LIST_SELECT NEWER UP);
static struct db_statement older_status =
    DB_STATEMENT("history_older_status", DB_READ, 7, LIST_SELECT OLDER BY_STATUS DOWN);
static struct db_statement newer_status =
    DB_STATEMENT("history_newer_status", DB_READ, 7, LIST_SELECT NEWER BY_STATUS UP);

/* The cursor's created_at as PostgreSQL reads it, to the microsecond
 * ("2026-12-05 06:12:33.123456+00"), or "infinity" for the first page. */
static void cursor_time(const struct history_query *q, char *out, size_t cap)
{
  if (q->direction == HISTORY_FIRST) {
    snprintf(out, cap, "infinity");
    return;
  }
  time_t secs = (time_t)(q->cursor.us / 1000000);
  struct tm tm;
  char day[24];
  gmtime_r(&secs, &tm);
  strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
  snprintf(out, cap, "%s.%06lld+00", day, (long long)(q->cursor.us % 1000000));
}

static void read_row(const PGresult *res, int i, struct history_row *r)
{
  memset(r, 0, sizeof *r);
  r->pos.id = db_int64(res, i, "id");
  r->pos.us = db_int64(res, i, "us");
  db_copy(res, i, "number", r->number);
  db_copy(res, i, "created", r->created);
  db_copy(res, i, "merchant", r->merchant);
  db_copy(res, i, "shop", r->shop);
  r->total = db_int64(res, i, "total");
  db_copy(res, i, "currency", r->currency);
  db_copy(res, i, "method", r->method);
  r->installments = (int)db_int64(res, i, "installments");
  db_copy(res, i, "status", r->status);
  db_copy(res, i, "card_masked", r->card_masked);
  db_copy(res, i, "approval_code", r->approval_code);
}

enum db_status db_history_list(struct db *db, const char *user_id, const struct history_query *q, int max,
                               struct history_row *out, int *n)
{
  bool newer = q->direction == HISTORY_NEWER, by_status = *q->status != '\0';
  struct db_statement *st = newer ? (by_status ? &newer_status : &newer_all) : (by_status ? &older_status : &older_all);
  char at[48];
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  cursor_time(q, at, sizeof at);
  db_params_init(&p);
  db_param_text(&p, user_id);
  db_param_text(&p, *q->from ? q->from : "-infinity");
  db_param_text(&p, *q->to ? q->to : "infinity");
  db_param_text(&p, at);
  db_param_int64(&p, q->direction == HISTORY_FIRST ? 0 : q->cursor.id);
  db_param_int64(&p, max);
  if (by_status)
    db_param_text(&p, q->status);
  enum db_status s = db_call(db, st, &p, &res);
  if (s >= 0) {
    int rows = PQntuples(res);
    for (int i = 0; i < rows && i < max; i++)
      read_row(res, i, &out[(*n)++]);
  }
  if (res)
    PQclear(res);
  return s;
}
