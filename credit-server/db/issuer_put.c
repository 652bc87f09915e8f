/* issuer_put.c — issuer_put: an issuer (card brand) created or renamed, for
 * enrolment. */
#include "credit-server/db/ops.h"

enum db_status issuer_put(struct db *db, const char *code, const char *name)
{
  static struct db_statement st = DB_STATEMENT("issuer_put", DB_REPEATABLE, 2,
                                               "INSERT INTO issuer.issuers (code, name) VALUES ($1, $2)"
                                               " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, code);
  db_param_text(&p, name);
  return db_call(db, &st, &p, NULL);
}
