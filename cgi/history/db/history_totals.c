/* history_totals.c — db_history_totals: per currency, over the whole date
 * range and status filter of the list (not one page): the number of
 * transactions and the sum of the completed ones.  One statement reading
 * gateway.user_day_totals (a row per day, currency and final status, kept
 * by a trigger: sql/0020) for the ended transactions and the few open
 * ones live from transactions_open_idx, so its cost follows the number of
 * days in the range, not of transactions. */
#include "history/db/history_db.h"

#include <stdio.h>
#include <string.h>

#define TOTALS_SELECT(d_status, t_status)                                                                              \
  "SELECT currency, sum(n)::bigint AS n, coalesce(sum(n) FILTER (WHERE status = 'completed'), 0)::bigint AS paid_n,"   \
  "       coalesce(sum(amount) FILTER (WHERE status = 'completed'), 0)::bigint AS paid"                                \
  "  FROM (SELECT d.currency, d.status, d.n, d.amount FROM gateway.user_day_totals d"                                  \
  "         WHERE d.user_id = $1 AND d.day >= $2::date AND d.day <= $3::date" d_status "        UNION ALL"             \
  "        SELECT t.currency, t.status, 1, t.total FROM gateway.transactions t"                                        \
  "         WHERE t.user_id = $1"                                                                                      \
  "           AND t.status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method', 'authorizing')"          \
  "           AND t.created_at >= $2::date::timestamp AT TIME ZONE 'UTC'"                                              \
  "           AND t.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'" t_status ") AS b"                       \
  " GROUP BY currency ORDER BY currency"

static struct db_statement all = DB_STATEMENT("history_totals", DB_READ, 3, TOTALS_SELECT("", ""));
static struct db_statement by_status =
    DB_STATEMENT("history_totals_status", DB_READ, 4, TOTALS_SELECT(" AND d.status = $4", " AND t.status = $4"));

enum db_status db_history_totals(struct db *db, const char *user_id, const struct history_query *q,
                                 struct history_total *out, int max, int *n)
{
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  db_params_init(&p);
  db_param_text(&p, user_id);
  db_param_text(&p, *q->from ? q->from : "-infinity");
  db_param_text(&p, *q->to ? q->to : "infinity");
  if (*q->status)
    db_param_text(&p, q->status);
  enum db_status s = db_call(db, *q->status ? &by_status : &all, &p, &res);
  if (s >= 0) {
    int rows = PQntuples(res);
    for (int i = 0; i < rows && i < max; i++) {
      struct history_total *t = &out[(*n)++];
      memset(t, 0, sizeof *t);
      db_copy(res, i, "currency", t->currency);
      t->count = db_int64(res, i, "n");
      t->paid_count = db_int64(res, i, "paid_n");
      t->paid = db_int64(res, i, "paid");
    }
  }
  if (res)
    PQclear(res);
  return s;
}
