/* users_db.c — sign-in's statements on gateway.users (users_db.h). */
#include "history/db/users_db.h"

#include <string.h>

#define LOCKED_UNTIL_SQL "to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS locked_until"

enum db_status hdb_user_for_signin(struct db *db, const char *user_id, struct hdb_signin_user *out)
{
  static struct db_statement st =
      DB_STATEMENT("hdb_user_for_signin", DB_READ, 1,
                   "SELECT u.status = 'active' AS active, u.web_password_hash IS NOT NULL AS has_password,"
                   "       coalesce(u.web_password_hash, '') AS web_password_hash,"
                   "       coalesce(u.locked_until > now(), false) AS locked, " LOCKED_UNTIL_SQL
                   "  FROM gateway.users u WHERE u.user_id = $1");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, user_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->active = db_bool(res, 0, "active");
    out->has_password = db_bool(res, 0, "has_password");
    db_copy(res, 0, "web_password_hash", out->password_hash);
    out->locked = db_bool(res, 0, "locked");
    db_copy(res, 0, "locked_until", out->locked_until);
  }
  if (res)
    PQclear(res);
  return s < 0 ? s : s == DB_ONE_ROW ? DB_ONE_ROW : DB_NO_ROWS;
}

enum db_status hdb_user_signin_failed(struct db *db, const char *user_id, long lock_after, long lock_s,
                                      struct hdb_signin_user *out)
{
  /* SET reads the row's old values: the lock_after-th failure in a row
   * sets the lock and starts the count again */
  static struct db_statement st = DB_STATEMENT(
      "hdb_user_signin_failed", DB_CHANGE, 3,
      "UPDATE gateway.users u"
      "   SET failed_attempts = CASE WHEN u.failed_attempts + 1 >= $2 THEN 0 ELSE u.failed_attempts + 1 END,"
      "       locked_until = CASE WHEN u.failed_attempts + 1 >= $2"
      "                           THEN now() + make_interval(secs => $3::integer) ELSE u.locked_until END"
      " WHERE u.user_id = $1"
      " RETURNING coalesce(u.locked_until > now(), false) AS locked, " LOCKED_UNTIL_SQL);
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, user_id);
  db_param_int64(&p, lock_after);
  db_param_int64(&p, lock_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->locked = db_bool(res, 0, "locked");
    db_copy(res, 0, "locked_until", out->locked_until);
  }
  if (res)
    PQclear(res);
  return s < 0 ? s : s == DB_ONE_ROW ? DB_ONE_ROW : DB_NO_ROWS;
}
