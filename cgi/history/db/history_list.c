/* history_list.c — db_history_list: one page of the list (or one chunk of
 * the CSV) by keyset: the rows after or before a (created_at, id) cursor,
 * within the date range, of every status or of one.  Four statements, one
 * per direction and filter, so that each is a plain index range scan with
 * no "OR $n IS NULL" a generic plan could not use (sql/0020).
 *
 * The bound the scan starts from is one row comparison: the cursor, or the
 * edge of the date range when that is nearer (computed here).  Given both
 * a row comparison and a plain `created_at <` on the same column, btree
 * positions on one of them and only filters by the other: with the cursor
 * at the top and `to` half-way down, it walked 50 000 index entries to the
 * first row (24 ms instead of 0.4).  The far edge of the range stays a
 * plain condition: the scan stops there.
 *
 * Each row's refunded sum is a LATERAL aggregate over refunds_transaction_idx
 * (sql/0023), run by the nested loop only for the rows the LIMIT lets
 * through: 21 index probes a page, in the same statement. */
#include "history/db/history_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIST_SELECT                                                                                                    \
  "SELECT t.id, (extract(epoch FROM t.created_at) * 1000000)::bigint AS us, t.number,"                                 \
  "       to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created,"                                  \
  "       m.name AS merchant, m.shop_name AS shop, t.total, t.currency, coalesce(t.method, '') AS method,"             \
  "       t.installments::integer AS installments, t.status, coalesce(t.card_masked, '') AS card_masked,"              \
  "       coalesce(left(t.approval_code, 15), '') AS approval_code, coalesce(rf.refunded, 0) AS refunded"              \
  "  FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id"                                     \
  "  LEFT JOIN LATERAL (SELECT sum(r.amount) FILTER (WHERE r.status = 'completed') AS refunded"                        \
  "                       FROM gateway.refunds r WHERE r.transaction_id = t.id) rf ON true"                            \
  " WHERE t.user_id = $1"
/* older: down from ($3, $4) to the range's first day $2 */
#define OLDER                                                                                                          \
  " AND t.created_at >= $2::date::timestamp AT TIME ZONE 'UTC'"                                                        \
  " AND (t.created_at, t.id) < ($3::timestamptz, $4::bigint)"
/* newer: up from ($3, $4) to the range's last day $2 */
#define NEWER                                                                                                          \
  " AND t.created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'"                                                   \
  " AND (t.created_at, t.id) > ($3::timestamptz, $4::bigint)"
#define BY_STATUS " AND t.status = $6"
#define DOWN " ORDER BY t.created_at DESC, t.id DESC LIMIT $5"
#define UP " ORDER BY t.created_at, t.id LIMIT $5"

static struct db_statement older_all = DB_STATEMENT("history_older", DB_READ, 5, LIST_SELECT OLDER DOWN);
static struct db_statement newer_all = DB_STATEMENT("history_newer", DB_READ, 5, LIST_SELECT NEWER UP);
static struct db_statement older_status =
    DB_STATEMENT("history_older_status", DB_READ, 6, LIST_SELECT OLDER BY_STATUS DOWN);
static struct db_statement newer_status =
    DB_STATEMENT("history_newer_status", DB_READ, 6, LIST_SELECT NEWER BY_STATUS UP);

/* us as PostgreSQL reads a timestamptz, to the microsecond
 * ("2026-12-05 06:12:33.123456+00"); before 1970 too. */
static void us_text(int64_t us, char *out, size_t cap)
{
  int64_t secs = us / 1000000, frac = us % 1000000;
  if (frac < 0) {
    secs--;
    frac += 1000000;
  }
  time_t t = (time_t)secs;
  struct tm tm;
  char day[32];
  gmtime_r(&t, &tm);
  strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
  snprintf(out, cap, "%s.%06lld+00", day, (long long)frac);
}

/* The starting bound ($3, $4) and the far day ($2) of q's scan. */
static void scan_bounds(const struct history_query *q, char *far_day, size_t far_cap, char *at, size_t at_cap,
                        int64_t *id)
{
  bool newer = q->direction == HISTORY_NEWER, open = q->direction == HISTORY_FIRST;
  int64_t us = q->cursor.us;

  *id = q->cursor.id;
  if (newer) {
    snprintf(far_day, far_cap, "%s", *q->to ? q->to : "infinity");
    /* (F, 0) < (created_at, id) is created_at >= F, ids being positive */
    if (*q->from && history_day_start_us(q->from, 0) > us) {
      us = history_day_start_us(q->from, 0);
      *id = 0;
    }
  } else {
    snprintf(far_day, far_cap, "%s", *q->from ? q->from : "-infinity");
    /* (created_at, id) < (T, 0) is created_at < T */
    if (*q->to && (open || history_day_start_us(q->to, 1) <= us)) {
      us = history_day_start_us(q->to, 1);
      *id = 0;
      open = false;
    }
  }
  if (open) {
    snprintf(at, at_cap, "infinity");
    *id = 0;
  } else {
    us_text(us, at, at_cap);
  }
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
  r->refunded = db_int64(res, i, "refunded");
}

enum db_status db_history_list(struct db *db, const char *user_id, const struct history_query *q, int max,
                               struct history_row *out, int *n)
{
  bool newer = q->direction == HISTORY_NEWER, by_status = *q->status != '\0';
  struct db_statement *st = newer ? (by_status ? &newer_status : &newer_all) : (by_status ? &older_status : &older_all);
  char far_day[16], at[48];
  int64_t id;
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  scan_bounds(q, far_day, sizeof far_day, at, sizeof at, &id);
  db_params_init(&p);
  db_param_text(&p, user_id);
  db_param_text(&p, far_day);
  db_param_text(&p, at);
  db_param_int64(&p, id);
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
