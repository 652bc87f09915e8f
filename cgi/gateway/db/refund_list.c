/* refund_list.c — db_refund_list: GET /v1/transactions/{number}/refunds
 * (and .../refunds/{id}, one of them) in one round trip: the merchant's
 * payment, its totals and its refunds, oldest first. */
#include "gateway/db/refund.h"

#include <stdlib.h>
#include <string.h>

enum db_status db_refund_list(struct db *db, const char *number, int64_t merchant_id, const char *refund_id,
                              struct refund_list *out)
{
  static struct db_statement st = DB_STATEMENT(
      "refund_list", DB_READ, 3,
      "SELECT f.*, tt.refunded AS txn_refunded, tt.refundable AS txn_refundable"
      "  FROM gateway.transactions t CROSS JOIN LATERAL gateway.refund_totals(t.id) tt"
      "  LEFT JOIN LATERAL (SELECT r.id FROM gateway.refunds r WHERE r.transaction_id = t.id"
      "                        AND ($3::text IS NULL OR r.refund_id = $3) ORDER BY r.id LIMIT 200) rr ON true"
      "  LEFT JOIN LATERAL gateway.refund_facts(rr.id) f ON true"
      " WHERE t.number = $1 AND t.merchant_id = $2 ORDER BY rr.id");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  db_param_text(&p, refund_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s >= DB_ONE_ROW) {
    int rows = PQntuples(res);
    out->found = true;
    out->refunded = db_int64(res, 0, "txn_refunded");
    out->refundable = db_int64(res, 0, "txn_refundable");
    out->rows = calloc((size_t)rows, sizeof *out->rows);
    if (!out->rows)
      s = DB_HARD_ERROR;
    for (int i = 0; out->rows && i < rows; i++)
      if (!db_null(res, i, "refund_id"))
        db_refund_row_read(res, i, &out->rows[out->n++]);
  }
  if (res)
    PQclear(res);
  return s;
}
