/* terminal_clash.c — adb_terminal_clash: why a terminal was not inserted:
 * the terminal that holds its code (first) or its field-41 ID. */
#include "ops.h"

enum db_status adb_terminal_clash(struct db *db, const char *code, const char *iso_id, struct terminal_clash *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_terminal_clash", DB_READ, 2,
                   "SELECT code, code = $1 AS same_code FROM gateway.terminals WHERE code = $1 OR iso_terminal_id = $2 "
                   "ORDER BY code = $1 DESC LIMIT 1");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, code);
  db_param_text(&p, iso_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    db_copy(res, 0, "code", out->code);
    out->same_code = db_bool(res, 0, "same_code");
  }
  if (res)
    PQclear(res);
  return s;
}
