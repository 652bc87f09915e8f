/* auth_reversed.c — db_auth_reversed: the 0410 came, the authorization is
 * reversed and nothing more is sent for it. */
#include "gateway/db/sweeper.h"

enum db_status db_auth_reversed(struct db *db, const char *txn_id)
{
  static struct db_statement st =
      DB_STATEMENT("auth_reversed", DB_REPEATABLE, 1,
                   "UPDATE gateway.authorizations SET status = 'reversed', reversed_at = now(), next_attempt_at = NULL"
                   " WHERE transaction_id = $1 AND status = 'reversal_pending'");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, txn_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (res)
    PQclear(res);
  return s;
}
