/* merchant_put.c — issuer_merchant_put: a credit merchant (figure 24A)
 * created or updated, for enrolment. */
#include "credit-server/db/ops.h"

enum db_status issuer_merchant_put(struct db *db, const struct merchant_row *m)
{
  static struct db_statement st = DB_STATEMENT(
      "issuer_merchant_put", DB_REPEATABLE, 4,
      "INSERT INTO issuer.merchants (merchant_code, credit_merchant_code, name, status) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (merchant_code) DO UPDATE SET credit_merchant_code = EXCLUDED.credit_merchant_code,"
      "   name = EXCLUDED.name, status = EXCLUDED.status");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, m->merchant_code);
  db_param_text(&p, m->credit_code);
  db_param_text(&p, m->name);
  db_param_text(&p, m->status);
  return db_call(db, &st, &p, NULL);
}
