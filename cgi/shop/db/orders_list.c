/* orders_list.c — db_orders_list: the newest orders with their goods and
 * their refunds' sums, for the owner's page (one statement: the refunds are
 * a LATERAL aggregate over refunds_order, sql/0026). */
#include "shop/db/shop_db.h"

#include <string.h>

enum db_status db_orders_list(struct db *db, struct order_summary *out, int max, int *n)
{
  static struct db_statement st =
      DB_STATEMENT("orders_list", DB_READ, 1,
                   "SELECT o.code, o.state, o.total, o.currency,"
                   "       to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS created_at,"
                   "       left(string_agg(l.name || ' × ' || l.quantity, ', ' ORDER BY l.line_no), 1000) AS items,"
                   "       coalesce(min(rf.refunded), 0) AS refunded, coalesce(min(rf.held), 0) AS held"
                   "  FROM shop.orders o JOIN shop.order_lines l ON l.order_id = o.id"
                   "  LEFT JOIN LATERAL (SELECT sum(r.amount) FILTER (WHERE r.status = 'completed') AS refunded,"
                   "                            sum(r.amount) FILTER (WHERE r.status <> 'declined') AS held"
                   "                       FROM shop.refunds r WHERE r.order_id = o.id) rf ON true"
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
      o->refunded = db_int64(res, i, "refunded");
      o->held = db_int64(res, i, "held");
      (*n)++;
    }
  }
  if (res)
    PQclear(res);
  return s;
}
