/* auth_next_due.c — db_auth_next_due: how long the sweeper may sleep: until
 * the next reversal falls due, or the next "sent" authorization outlives
 * the time a worker may still be waiting for its answer. */
#include "gateway/db/sweeper.h"

enum db_status db_auth_next_due(struct db *db, long age_s, long *due_ms)
{
  static struct db_statement st = DB_STATEMENT(
      "auth_next_due", DB_READ, 1,
      "SELECT ceil(extract(epoch FROM least("
      "         min(coalesce(next_attempt_at, '-infinity')) FILTER (WHERE status = 'reversal_pending'),"
      "         min(created_at) FILTER (WHERE status = 'sent') + make_interval(secs => $1::double precision))"
      "         - now()) * 1000)::bigint AS due_in_ms"
      "  FROM gateway.authorizations WHERE status IN ('sent', 'reversal_pending')");
  struct db_params p;
  PGresult *res = NULL;

  *due_ms = -1;
  db_params_init(&p);
  db_param_int64(&p, age_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW && db_null(res, 0, "due_in_ms"))
    s = DB_NO_ROWS; /* an aggregate answers one row, NULL when nothing is open */
  else if (s == DB_ONE_ROW)
    *due_ms = (long)db_int64(res, 0, "due_in_ms");
  else if (s >= 0)
    s = DB_HARD_ERROR;
  if (res)
    PQclear(res);
  return s;
}
