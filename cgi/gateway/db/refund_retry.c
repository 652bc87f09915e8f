/* refund_retry.c — db_refund_retry: no answer to a refund's attempt; its
 * next is due after the back-off (the guard on the attempt leaves a row
 * another claim has moved on). */
#include "gateway/db/refund.h"

enum db_status db_refund_retry(struct db *db, const char *refund_id, int attempt, long retry_ms)
{
  static struct db_statement st = DB_STATEMENT(
      "refund_retry", DB_REPEATABLE, 3,
      "UPDATE gateway.refunds SET next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)"
      " WHERE refund_id = $1 AND status = 'pending' AND attempts = $2");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, refund_id);
  db_param_int64(&p, attempt);
  db_param_int64(&p, retry_ms);
  enum db_status s = db_call(db, &st, &p, &res);
  if (res)
    PQclear(res);
  return s;
}
