/* merchant_webhook_lock.c — adb_merchant_webhook_lock: the merchant's row
 * locked for `merchant webhook set|rotate-secret` (two admins at once make
 * one secret each, one after the other), and whether it has a secret. */
#include "ops.h"

enum db_status adb_merchant_webhook_lock(struct db *db, int64_t merchant_id, bool *has_secret)
{
  static struct db_statement st =
      DB_STATEMENT("adb_merchant_webhook_lock", DB_READ, 1,
                   "SELECT webhook_secret IS NOT NULL AS has_secret FROM gateway.merchants WHERE id = $1 FOR UPDATE");
  struct db_params p;
  PGresult *res = NULL;

  *has_secret = false;
  db_params_init(&p);
  db_param_int64(&p, merchant_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    *has_secret = db_bool(res, 0, "has_secret");
  if (res)
    PQclear(res);
  return s;
}
