/* terminal_rotate.c — adb_terminal_rotate: a merchant's terminal gets a
 * new credential hash; the old credential stops working at once. */
#include "ops.h"

enum db_status adb_terminal_rotate(struct db *db, const struct terminal_credential *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_terminal_rotate", DB_REPEATABLE, 3,
                   "UPDATE gateway.terminals t SET credential_hash = $3 FROM gateway.merchants m "
                   "WHERE m.id = t.merchant_id AND t.code = $1 AND m.code = $2 RETURNING t.id");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->code);
  db_param_text(&p, in->merchant_code);
  db_param_bytea(&p, in->credential_hash, sizeof in->credential_hash);
  return db_call(db, &st, &p, NULL);
}
