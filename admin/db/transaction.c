/* transaction.c — adb_transaction: the one transaction a paygw-admin
 * command runs its operations in (admin_transaction, support.c), so the
 * transaction's boundary stays with the operations, in admin/db/. */
#include "admin/db/ops.h"

enum db_status adb_transaction(struct db *db, db_txn_fn fn, void *ctx)
{
  return db_run_transaction(db, "paygw-admin", fn, ctx);
}
