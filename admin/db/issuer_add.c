/* issuer_add.c — adb_issuer_add: a credit company of figure 9.  A taken
 * code inserts nothing (DB_NO_ROWS), so the command can say so. */
#include "ops.h"

enum db_status adb_issuer_add(struct db *db, const struct issuer_new *in)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_issuer_add", DB_CHANGE, 2,
      "INSERT INTO gateway.issuers (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->code);
  db_param_text(&p, in->name);
  return db_call(db, &st, &p, NULL);
}
