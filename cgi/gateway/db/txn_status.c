/* txn_status.c — db_txn_status: a transaction's status alone, which a
 * GET /v1/transactions/{number}?wait= polls while it is held (see
 * ep_transaction_get.c for why a poll and not a notification). */
#include "gateway/db/terminal.h"

enum db_status db_txn_status(struct db *db, const char *number, int64_t merchant_id, char status[32])
{
  static struct db_statement st = DB_STATEMENT(
      "txn_status", DB_READ, 2, "SELECT status FROM gateway.transactions WHERE number = $1 AND merchant_id = $2");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  return db_call_copy_at(db, &st, &p, "status", status, 32, __FILE__, __LINE__);
}
