/* merchant_add.c — adb_merchant_add: a merchant of figure 10 and the shop
 * name shoppers see.  A taken code inserts nothing (DB_NO_ROWS). */
#include "ops.h"

enum db_status adb_merchant_add(struct db *db, const struct merchant_new *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_merchant_add", DB_CHANGE, 3,
                   "INSERT INTO gateway.merchants (code, name, shop_name) VALUES ($1, $2, $3) "
                   "ON CONFLICT (code) DO NOTHING RETURNING id");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->code);
  db_param_text(&p, in->name);
  db_param_text(&p, in->shop);
  return db_call(db, &st, &p, NULL);
}
