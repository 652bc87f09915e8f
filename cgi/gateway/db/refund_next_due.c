/* refund_next_due.c — db_refund_next_due: how long the sweeper may sleep
 * before the next pending refund's repeat falls due. */
#include "gateway/db/refund.h"
#include "gateway/db/next_due.h"

enum db_status db_refund_next_due(struct db *db, long *due_ms)
{
  static struct db_statement st =
      DB_STATEMENT("refund_next_due", DB_READ, 0,
                   "SELECT ceil(extract(epoch FROM min(next_attempt_at) - now()) * 1000)::bigint AS due_in_ms"
                   "  FROM gateway.refunds WHERE status = 'pending'");
  return db_next_due_ms(db, &st, NULL, due_ms);
}
