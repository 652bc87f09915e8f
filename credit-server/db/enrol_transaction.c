/* enrol_transaction.c — issuer_enrol_transaction: the one transaction an
 * enrolment mode (enrol.c) runs its operations in, so the transaction's
 * boundary stays with the operations, in credit-server/db/. */
#include "credit-server/db/ops.h"

enum db_status issuer_enrol_transaction(struct db *db, const char *label, db_txn_fn body, void *arg)
{
  return db_run_transaction(db, label, body, arg);
}
