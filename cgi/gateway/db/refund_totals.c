/* refund_totals.c — db_refund_totals: what a payment has given back and has
 * left, for GET /v1/transactions/{number} (gateway.refund_totals). */
#include "gateway/db/refund.h"

enum db_status db_refund_totals(struct db *db, const char *number, int64_t merchant_id, int64_t *refunded,
                                int64_t *refundable)
{
  static struct db_statement st =
      DB_STATEMENT("refund_totals", DB_READ, 2,
                   "SELECT tt.refunded, tt.refundable FROM gateway.transactions t"
                   " CROSS JOIN LATERAL gateway.refund_totals(t.id) tt WHERE t.number = $1 AND t.merchant_id = $2");
  struct db_params p;
  PGresult *res = NULL;

  *refunded = *refundable = 0;
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    *refunded = db_int64(res, 0, "refunded");
    *refundable = db_int64(res, 0, "refundable");
  } else if (s >= 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
