/* card_expiry_lock.c — adb_card_expiry_lock: a card's expiry, its row
 * locked until the transaction ends (card update changes it next). */
#include "ops.h"

enum db_status adb_card_expiry_lock(struct db *db, int64_t card_id, struct card_expiry *out)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_card_expiry_lock", DB_READ, 1, "SELECT expiry FROM gateway.cards WHERE id = $1::bigint FOR NO KEY UPDATE");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_int64(&p, card_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    db_copy(res, 0, "expiry", out->expiry);
  if (res)
    PQclear(res);
  return s;
}
