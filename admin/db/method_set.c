/* method_set.c — adb_method_set: the payment methods a merchant takes for
 * an issuer's cards (fig 10), inserted or replaced whole. */
#include "ops.h"

enum db_status adb_method_set(struct db *db, const struct method_row *in)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_method_set", DB_REPEATABLE, 8,
      "INSERT INTO gateway.merchant_methods (merchant_id, issuer_id, lump_sum, installments, bonus, "
      "partial_bonus, revolving, installment_counts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::smallint[]) "
      "ON CONFLICT (merchant_id, issuer_id) DO UPDATE SET lump_sum = EXCLUDED.lump_sum, "
      "installments = EXCLUDED.installments, bonus = EXCLUDED.bonus, partial_bonus = EXCLUDED.partial_bonus, "
      "revolving = EXCLUDED.revolving, installment_counts = EXCLUDED.installment_counts");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, in->merchant_id);
  db_param_int64(&p, in->issuer_id);
  db_param_bool(&p, in->lump_sum);
  db_param_bool(&p, in->installments);
  db_param_bool(&p, in->bonus);
  db_param_bool(&p, in->partial_bonus);
  db_param_bool(&p, in->revolving);
  db_param_text(&p, in->installment_counts);
  return db_call(db, &st, &p, NULL);
}
