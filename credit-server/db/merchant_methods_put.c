/* merchant_methods_put.c — issuer_merchant_methods_put: the methods (and
 * installment counts) a merchant takes for one card issuer, figure 24A. */
#include "credit-server/db/ops.h"

enum db_status issuer_merchant_methods_put(struct db *db, const char *merchant_code, const char *issuer_code,
                                           const char *methods, const char *installments)
{
  static struct db_statement st = DB_STATEMENT(
      "issuer_merchant_methods_put", DB_REPEATABLE, 4,
      "INSERT INTO issuer.merchant_methods (merchant_id, issuer_code, methods, installment_counts)"
      " SELECT id, $2, string_to_array($3, ' '), coalesce(string_to_array(nullif($4, ''), ' ')::smallint[], '{}')"
      "   FROM issuer.merchants WHERE merchant_code = $1"
      " ON CONFLICT (merchant_id, issuer_code) DO UPDATE SET methods = EXCLUDED.methods,"
      "   installment_counts = EXCLUDED.installment_counts");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, merchant_code);
  db_param_text(&p, issuer_code);
  db_param_text(&p, methods);
  db_param_text(&p, installments);
  return db_call(db, &st, &p, NULL);
}
