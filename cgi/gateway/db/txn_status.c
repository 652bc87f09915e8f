/* txn_status.c — db_txn_status: a transaction's status alone, which a
 * GET /v1/transactions/{number}?wait= polls while it is held (see
 * ep_transaction_get.c for why a poll and not a notification). */
#include "gateway/db/terminal.h"

#include <string.h>

enum db_status db_txn_status(struct db *db, const char *number, int64_t merchant_id, char status[32])
{
  static struct db_statement st = DB_STATEMENT(
      "txn_status", DB_READ, 2, "SELECT status FROM gateway.transactions WHERE number = $1 AND merchant_id = $2");
  struct db_params p;
  PGresult *res = NULL;

  status[0] = '\0';
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    db_copy_at(res, 0, "status", status, 32, __FILE__, __LINE__);
  else if (s >= 0)
    s = DB_NO_ROWS;
  if (res)
    PQclear(res);
  return s;
}
