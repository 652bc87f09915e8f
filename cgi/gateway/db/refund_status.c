/* refund_status.c — db_refund_status: a refund's status alone, polled
 * while a GET .../refunds/{id}?wait= is held (long_poll.c). */
#include "gateway/db/refund.h"

enum db_status db_refund_status(struct db *db, const char *number, int64_t merchant_id, const char *refund_id,
                                char status[32])
{
  static struct db_statement st =
      DB_STATEMENT("refund_status", DB_READ, 3,
                   "SELECT r.status FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id"
                   " WHERE t.number = $1 AND t.merchant_id = $2 AND r.refund_id = $3");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  db_param_text(&p, refund_id);
  return db_call_copy_at(db, &st, &p, "status", status, 32, __FILE__, __LINE__);
}
