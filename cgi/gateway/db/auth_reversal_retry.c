/* auth_reversal_retry.c — db_auth_reversal_retry: no 0410 came, the next
 * attempt (a 0401) is due after the back-off. */
#include "gateway/db/sweeper.h"

enum db_status db_auth_reversal_retry(struct db *db, const char *txn_id, long retry_ms)
{
  static struct db_statement st = DB_STATEMENT(
      "auth_reversal_retry", DB_REPEATABLE, 2,
      "UPDATE gateway.authorizations SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)"
      " WHERE transaction_id = $1 AND status = 'reversal_pending'");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, txn_id);
  db_param_int64(&p, retry_ms);
  enum db_status s = db_call(db, &st, &p, &res);
  if (res)
    PQclear(res);
  return s;
}
