/* cart_set.c — db_cart_set: a good's quantity in a cart set, added to or
 * (0) removed; only goods on sale, at most 99 of one. */
#include "shop/db/shop_db.h"

enum db_status db_cart_set(struct db *db, int64_t session_id, int64_t good_id, int64_t quantity, bool add)
{
  static struct db_statement put =
      DB_STATEMENT("cart_put", DB_REPEATABLE, 3,
                   "INSERT INTO shop.cart_lines (session_id, good_id, quantity)"
                   " SELECT $1, g.id, $3 FROM shop.goods g WHERE g.id = $2 AND g.active"
                   " ON CONFLICT (session_id, good_id) DO UPDATE SET quantity = EXCLUDED.quantity");
  static struct db_statement more = DB_STATEMENT("cart_add", DB_CHANGE, 3,
                                                 "INSERT INTO shop.cart_lines (session_id, good_id, quantity)"
                                                 " SELECT $1, g.id, $3 FROM shop.goods g WHERE g.id = $2 AND g.active"
                                                 " ON CONFLICT (session_id, good_id) DO UPDATE SET quantity = "
                                                 "least(99, shop.cart_lines.quantity + EXCLUDED.quantity)");
  static struct db_statement drop =
      DB_STATEMENT("cart_drop", DB_REPEATABLE, 2, "DELETE FROM shop.cart_lines WHERE session_id = $1 AND good_id = $2");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, session_id);
  db_param_int64(&p, good_id);
  if (quantity == 0) {
    enum db_status s = db_call(db, &drop, &p, NULL);
    return s < 0 ? s : DB_ONE_ROW; /* removing what is not there is done too */
  }
  db_param_int64(&p, quantity);
  enum db_status s = db_call(db, add ? &more : &put, &p, NULL);
  return s < 0 ? s : s >= 1 ? DB_ONE_ROW : DB_NO_ROWS;
}
