/* order_refunds.c — db_order_refunds: an order's refunds, oldest first,
 * for its page and the owner's (sql/0026). */
#include "shop/db/shop_db.h"

#include <string.h>

enum db_status db_order_refunds(struct db *db, int64_t order_id, struct refund_row *out, int max, int *n)
{
  static struct db_statement st =
      DB_STATEMENT("order_refunds", DB_READ, 2,
                   "SELECT refund_id, kind, amount, currency, coalesce(reason, '') AS reason, status,"
                   "       coalesce(left(outcome_reason, 199), '') AS outcome_reason,"
                   "       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS created_at"
                   "  FROM shop.refunds WHERE order_id = $1 ORDER BY created_at, id LIMIT $2");
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  db_params_init(&p);
  db_param_int64(&p, order_id);
  db_param_int64(&p, max);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s >= 0) {
    int rows = PQntuples(res);
    for (int i = 0; i < rows && i < max; i++) {
      struct refund_row *r = &out[(*n)++];
      memset(r, 0, sizeof *r);
      db_copy(res, i, "refund_id", r->refund_id);
      db_copy(res, i, "kind", r->kind);
      r->amount = db_int64(res, i, "amount");
      db_copy(res, i, "currency", r->currency);
      db_copy(res, i, "reason", r->reason);
      db_copy(res, i, "status", r->status);
      db_copy(res, i, "outcome_reason", r->outcome_reason);
      db_copy(res, i, "created_at", r->created_at);
    }
  }
  if (res)
    PQclear(res);
  return s;
}
