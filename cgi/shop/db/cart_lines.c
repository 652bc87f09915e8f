/* cart_lines.c — db_cart_lines: a session's cart with its goods. */
#include "shop/db/shop_db.h"

#include <string.h>

enum db_status db_cart_lines(struct db *db, int64_t session_id, struct cart_line *out, int max, int *n)
{
  static struct db_statement st =
      DB_STATEMENT("cart_lines", DB_READ, 1,
                   "SELECT g.id, g.name, g.unit_price, g.currency, g.tax_rate_pct, g.icon, c.quantity"
                   "  FROM shop.cart_lines c JOIN shop.goods g ON g.id = c.good_id"
                   " WHERE c.session_id = $1 ORDER BY c.added_at, g.id");
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  db_params_init(&p);
  db_param_int64(&p, session_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s >= 0) {
    int rows = PQntuples(res);
    for (int i = 0; i < rows && i < max; i++) {
      struct cart_line *l = &out[i];
      memset(l, 0, sizeof *l);
      l->good.id = db_int64(res, i, "id");
      db_copy(res, i, "name", l->good.name);
      l->good.unit_price = db_int64(res, i, "unit_price");
      db_copy(res, i, "currency", l->good.currency);
      l->good.tax_rate_pct = (int)db_int64(res, i, "tax_rate_pct");
      db_copy(res, i, "icon", l->good.icon);
      l->quantity = db_int64(res, i, "quantity");
      (*n)++;
    }
  }
  if (res)
    PQclear(res);
  return s;
}
