/* webhook_next_due.c — db_webhook_next_due: how long paygw-webhooks may
 * sleep before the next pending event falls due (a NOTIFY on
 * paygw_webhooks wakes it sooner for a new one). */
#include "gateway/db/webhook.h"

enum db_status db_webhook_next_due(struct db *db, long *due_ms)
{
  static struct db_statement st =
      DB_STATEMENT("webhook_next_due", DB_READ, 0,
                   "SELECT ceil(extract(epoch FROM min(next_attempt_at) - now()) * 1000)::bigint AS due_in_ms"
                   "  FROM gateway.webhook_events WHERE status = 'pending'");
  PGresult *res = NULL;

  *due_ms = -1;
  enum db_status s = db_call(db, &st, NULL, &res);
  if (s == DB_ONE_ROW && db_null(res, 0, "due_in_ms"))
    s = DB_NO_ROWS; /* an aggregate answers one row, NULL when nothing is pending */
  else if (s == DB_ONE_ROW) {
    long due = (long)db_int64(res, 0, "due_in_ms");
    *due_ms = due < 0 ? 0 : due;
  } else if (s >= 0)
    s = DB_HARD_ERROR;
  if (res)
    PQclear(res);
  return s;
}
