/* range_put.c — issuer_range_put: a card range (bounds are prefixes) for an
 * issuer, for enrolment. */
#include "credit-server/db/ops.h"

enum db_status issuer_range_put(struct db *db, const char *low, const char *high, const char *issuer_code)
{
  static struct db_statement st =
      DB_STATEMENT("issuer_range_put", DB_REPEATABLE, 3,
                   "INSERT INTO issuer.card_ranges (low, high, issuer_code) VALUES ($1, $2, $3)"
                   " ON CONFLICT (low, high) DO UPDATE SET issuer_code = EXCLUDED.issuer_code");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, low);
  db_param_text(&p, high);
  db_param_text(&p, issuer_code);
  return db_call(db, &st, &p, NULL);
}
