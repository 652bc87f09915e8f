/* refund_void_facts.c — db_refund_void_facts: when a payment completed and
 * the database's time now, for the void's day and cut-off (refund.c)
 * before gateway.do_create_refund decides the rest under the lock.  A
 * completed payment's completed_at never changes, so this read needs none. */
#include "gateway/db/refund.h"

enum db_status db_refund_void_facts(struct db *db, const char *number, int64_t merchant_id, bool *completed,
                                    int64_t *completed_at, int64_t *now)
{
  static struct db_statement st =
      DB_STATEMENT("refund_void_facts", DB_READ, 2,
                   "SELECT status = 'completed' AND completed_at IS NOT NULL AS completed,"
                   "       coalesce(floor(extract(epoch FROM completed_at)), 0)::bigint AS completed_at,"
                   "       floor(extract(epoch FROM now()))::bigint AS now"
                   "  FROM gateway.transactions WHERE number = $1 AND merchant_id = $2");
  struct db_params p;
  PGresult *res = NULL;

  *completed = false;
  *completed_at = *now = 0;
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    *completed = db_bool(res, 0, "completed");
    *completed_at = db_int64(res, 0, "completed_at");
    *now = db_int64(res, 0, "now");
  } else if (s >= 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
