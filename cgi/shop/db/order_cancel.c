/* order_cancel.c — db_order_cancel (a guarded move to canceled) and
 * db_order_set_error (why a cancel could not be done, for the page). */
#include "shop/db/shop_db.h"

enum db_status db_order_cancel(struct db *db, const char *code, const char *from_state, const char *reason)
{
  static struct db_statement st = DB_STATEMENT(
      "order_cancel", DB_REPEATABLE, 3,
      "UPDATE shop.orders SET state = 'canceled', reason = $3, error = NULL, completed_at = now(), updated_at = now()"
      " WHERE code = $1 AND state = $2");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, code);
  db_param_text(&p, from_state);
  db_param_text(&p, reason);
  enum db_status s = db_call(db, &st, &p, NULL);
  return s < 0 ? s : s >= DB_ONE_ROW ? DB_ONE_ROW : DB_NO_ROWS;
}

enum db_status db_order_set_error(struct db *db, const char *code, const char *error)
{
  static struct db_statement st = DB_STATEMENT("order_set_error", DB_REPEATABLE, 2,
                                               "UPDATE shop.orders SET error = $2, updated_at = now() WHERE code = $1");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, code);
  db_param_text(&p, error);
  return db_call(db, &st, &p, NULL);
}
