/* orders_list.c — db_orders_list: the newest orders with their goods, for
 * the owner's page. */
#include "shop/db/shop_db.h"

#include <string.h>

enum db_status db_orders_list(struct db *db, struct order_summary *out, int max, int *n)
{
  static struct db_statement st =
      DB_STATEMENT("orders_list", DB_READ, 1,
                   "SELECT o.code, o.state, o.total, o.currency,"
                   "       to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS created_at,"
                   "       left(string_agg(l.name || ' × ' || l.quantity, ', ' ORDER BY l.line_no), 1000) AS items"
                   "  FROM shop.orders o JOIN shop.order_lines l ON l.order_id = o.id"
                   " GROUP BY o.id ORDER BY o.created_at DESC, o.id DESC LIMIT $1");
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  db_params_init(&p);
  db_param_int64(&p, max);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s >= 0) {
    int rows = PQntuples(res);
    for (int i = 0; i < rows && i < max; i++) {
      struct order_summary *o = &out[i];
      memset(o, 0, sizeof *o);
      db_copy(res, i, "code", o->code);
      db_copy(res, i, "state", o->state);
      o->total = db_int64(res, i, "total");
      db_copy(res, i, "currency", o->currency);
      db_copy(res, i, "created_at", o->created_at);
      db_copy(res, i, "items", o->items);
      (*n)++;
    }
  }
  if (res)
    PQclear(res);
  return s;
}
