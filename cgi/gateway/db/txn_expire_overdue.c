/* txn_expire_overdue.c — db_txn_expire_overdue: the sweeper's expiry of
 * waiting transactions whose time has run out (a request touching one
 * expires it first anyway: gateway.txn_expire_if_overdue). */
#include "gateway/db/sweeper.h"

#include <stdlib.h>

enum db_status db_txn_expire_overdue(struct db *db, long *expired)
{
  static struct db_statement st =
      DB_STATEMENT("txn_expire_overdue", DB_REPEATABLE, 0,
                   "UPDATE gateway.transactions SET status = 'expired', deadline = NULL, updated_at = now(),"
                   "   outcome_reason = 'not answered in time'"
                   " WHERE id IN (SELECT id FROM gateway.transactions"
                   "               WHERE status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method')"
                   "                 AND deadline < now()"
                   "              ORDER BY deadline LIMIT 200 FOR UPDATE SKIP LOCKED)");
  PGresult *res = NULL;
  enum db_status s = db_call(db, &st, NULL, &res);

  *expired = 0;
  if (res) {
    *expired = atol(PQcmdTuples(res)); /* how many it expired (the metrics) */
    PQclear(res);
  }
  return s;
}
