/* terminal_credential_current.c — adb_terminal_credential_current: is
 * this the stored credential hash of the merchant's terminal?  (demo uses
 * it to keep a credential terminals.env still holds.) */
#include "ops.h"

enum db_status adb_terminal_credential_current(struct db *db, const struct terminal_credential *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_terminal_credential_current", DB_READ, 3,
                   "SELECT t.id FROM gateway.terminals t JOIN gateway.merchants m ON m.id = t.merchant_id "
                   "WHERE t.code = $1 AND m.code = $2 AND t.credential_hash = $3::bytea");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->code);
  db_param_text(&p, in->merchant_code);
  db_param_bytea(&p, in->credential_hash, sizeof in->credential_hash);
  return db_call(db, &st, &p, NULL);
}
