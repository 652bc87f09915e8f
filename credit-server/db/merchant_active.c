/* merchant_active.c — issuer_merchant_active: whether the issuer takes
 * payments from a merchant, asked once per connection of a merchant's POS
 * (its certificate names the merchant; sql/0022's issuer.merchant_active). */
#include "credit-server/db/ops.h"

enum db_status issuer_merchant_active(struct db *db, const char *merchant_code, bool *active)
{
  static struct db_statement st =
      DB_STATEMENT("issuer_merchant_active", DB_READ, 1, "SELECT issuer.merchant_active($1) AS active");
  struct db_params p;
  PGresult *res = NULL;

  *active = false;
  db_params_init(&p);
  db_param_text(&p, merchant_code);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    *active = db_bool(res, 0, "active");
  if (res)
    PQclear(res);
  return s;
}
