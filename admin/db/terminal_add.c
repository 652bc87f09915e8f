/* terminal_add.c — adb_terminal_add: a POS terminal or shop server with
 * the SHA-256 of its secret (never the secret) and its own field-41 ID.
 * No conflict target: a taken code and a taken field 41 both insert
 * nothing (DB_NO_ROWS); adb_terminal_clash then says which. */
#include "ops.h"

enum db_status adb_terminal_add(struct db *db, const struct terminal_new *in, struct terminal_added *out)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_terminal_add", DB_CHANGE, 4,
      "INSERT INTO gateway.terminals (merchant_id, code, credential_hash, iso_terminal_id) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT DO NOTHING RETURNING id");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_int64(&p, in->merchant_id);
  db_param_text(&p, in->code);
  db_param_bytea(&p, in->credential_hash, sizeof in->credential_hash);
  db_param_text(&p, in->iso_terminal_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW && out)
    out->id = db_int64(res, 0, "id");
  if (res)
    PQclear(res);
  return s;
}
