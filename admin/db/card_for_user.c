/* card_for_user.c — adb_card_for_user: a card as user add checks it (its
 * subscriber, status and user ID), the card row locked so no second user
 * ID is bound to it meanwhile. */
#include "ops.h"

enum db_status adb_card_for_user(struct db *db, int64_t card_id, struct card_for_user *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_card_for_user", DB_READ, 1,
                   "SELECT c.subscriber_id, c.status, u.user_id FROM gateway.cards c "
                   "LEFT JOIN gateway.users u ON u.card_id = c.id WHERE c.id = $1::bigint FOR UPDATE OF c");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_int64(&p, card_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s > 0) {
    out->subscriber_id = db_int64(res, 0, "subscriber_id");
    db_copy(res, 0, "status", out->status);
    db_copy(res, 0, "user_id", out->user_id);
  }
  if (res)
    PQclear(res);
  return s;
}
