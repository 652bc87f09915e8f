/* token_sweep.c — db_token_sweep: the sweeper's part of the token requests
 * (gateway.do_token_sweep, sql/0021): overdue ones expired (no_reply),
 * ones a dead worker left delivering failed (issuer_unavailable). */
#include "gateway/db/token.h"

enum db_status db_token_sweep(struct db *db, long stuck_s, long *expired, long *failed)
{
  static struct db_statement st = DB_STATEMENT(
      "token_sweep", DB_REPEATABLE, 1, "SELECT expired, failed FROM gateway.do_token_sweep($1::double precision)");
  struct db_params p;
  PGresult *res = NULL;

  *expired = *failed = 0;
  db_params_init(&p);
  db_param_int64(&p, stuck_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    *expired = (long)db_int64(res, 0, "expired");
    *failed = (long)db_int64(res, 0, "failed");
  }
  if (res)
    PQclear(res);
  return s;
}
