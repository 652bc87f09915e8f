/* refund_next_due.c — db_refund_next_due: how long the sweeper may sleep
 * before the next pending refund's repeat falls due. */
#include "gateway/db/refund.h"

enum db_status db_refund_next_due(struct db *db, long *due_ms)
{
  static struct db_statement st =
      DB_STATEMENT("refund_next_due", DB_READ, 0,
                   "SELECT ceil(extract(epoch FROM min(next_attempt_at) - now()) * 1000)::bigint AS due_in_ms"
                   "  FROM gateway.refunds WHERE status = 'pending'");
  PGresult *res = NULL;

  *due_ms = -1;
  enum db_status s = db_call(db, &st, NULL, &res);
  if (s == DB_ONE_ROW && db_null(res, 0, "due_in_ms"))
    s = DB_NO_ROWS;
  else if (s == DB_ONE_ROW)
    *due_ms = (long)db_int64(res, 0, "due_in_ms");
  else if (s >= 0)
    s = DB_HARD_ERROR;
  if (res)
    PQclear(res);
  return s;
}
