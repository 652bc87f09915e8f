/* card_expiry_update.c — adb_card_expiry_update: a renewed card's new
 * expiry, guarded by the old one (DB_NO_ROWS: it changed meanwhile). */
#include "ops.h"

enum db_status adb_card_expiry_update(struct db *db, const struct card_expiry_change *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_card_expiry_update", DB_CHANGE, 3,
                   "UPDATE gateway.cards SET expiry = $2 WHERE id = $1::bigint AND expiry = $3");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, in->card_id);
  db_param_text(&p, in->expiry);
  db_param_text(&p, in->old_expiry);
  return db_call(db, &st, &p, NULL);
}
