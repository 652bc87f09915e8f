/* order_lines.c — db_order_lines: the goods of an order as checked out. */
#include "shop/db/shop_db.h"

#include <string.h>

enum db_status db_order_lines(struct db *db, int64_t order_id, struct order_line *out, int max, int *n)
{
  static struct db_statement st =
      DB_STATEMENT("order_lines", DB_READ, 1,
                   "SELECT good_id, name, unit_price, quantity, tax_rate_pct, tax FROM shop.order_lines"
                   " WHERE order_id = $1 ORDER BY line_no");
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  db_params_init(&p);
  db_param_int64(&p, order_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s >= 0) {
    int rows = PQntuples(res);
    for (int i = 0; i < rows && i < max; i++) {
      struct order_line *l = &out[i];
      memset(l, 0, sizeof *l);
      l->good_id = db_int64(res, i, "good_id");
      db_copy(res, i, "name", l->name);
      l->unit_price = db_int64(res, i, "unit_price");
      l->quantity = db_int64(res, i, "quantity");
      l->tax_rate_pct = (int)db_int64(res, i, "tax_rate_pct");
      l->tax = db_int64(res, i, "tax");
      (*n)++;
    }
  }
  if (res)
    PQclear(res);
  return s;
}
