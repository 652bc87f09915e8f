/* webhook_next_due.c — db_webhook_next_due: how long paygw-webhooks may
 * sleep before the next pending event falls due (a NOTIFY on
 * paygw_webhooks wakes it sooner for a new one). */
#include "gateway/db/webhook.h"
#include "gateway/db/next_due.h"

enum db_status db_webhook_next_due(struct db *db, long *due_ms)
{
  static struct db_statement st =
      DB_STATEMENT("webhook_next_due", DB_READ, 0,
                   "SELECT ceil(extract(epoch FROM min(next_attempt_at) - now()) * 1000)::bigint AS due_in_ms"
                   "  FROM gateway.webhook_events WHERE status = 'pending'");
  return db_next_due_ms(db, &st, NULL, due_ms);
}
