/* sweeper_lock.c — db_sweeper_lock: the advisory lock only one sweeper can
 * hold (on one database, however many gateway hosts run one). */
#include "gateway/db/sweeper.h"

enum db_status db_sweeper_lock(struct db *db, const char *key, bool *got)
{
  static struct db_statement st =
      DB_STATEMENT("sweeper_lock", DB_READ, 1, "SELECT pg_try_advisory_lock($1::bigint) AS locked");
  struct db_params p;
  PGresult *res = NULL;

  *got = false;
  db_params_init(&p);
  db_param_text(&p, key);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    *got = db_bool(res, 0, "locked");
  else if (s >= 0)
    s = DB_HARD_ERROR; /* a SELECT without FROM answers one row */
  if (res)
    PQclear(res);
  return s;
}
