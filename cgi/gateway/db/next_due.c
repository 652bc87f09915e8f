/* next_due.c — see next_due.h. */
#include "gateway/db/next_due.h"

enum db_status db_next_due_ms(struct db *db, struct db_statement *st, const struct db_params *p, long *due_ms)
{
  PGresult *res = NULL;

  *due_ms = -1;
  enum db_status s = db_call(db, st, p, &res);
  if (s == DB_ONE_ROW && db_null(res, 0, "due_in_ms"))
    s = DB_NO_ROWS; /* an aggregate answers one row, NULL when nothing waits */
  else if (s == DB_ONE_ROW) {
    long due = (long)db_int64(res, 0, "due_in_ms");
    *due_ms = due < 0 ? 0 : due;
  } else if (s >= 0)
    s = DB_HARD_ERROR;
  if (res)
    PQclear(res);
  return s;
}
