/* user_web_password.c — adb_user_web_password_set: a user ID's password
 * for the HTML history (argon2id PHC string), its failed-attempt count and
 * lock cleared.  The trigger users_web_password_ends_sessions
 * (sql/0019_history.sql) ends the user ID's history sessions. */
#include "ops.h"

enum db_status adb_user_web_password_set(struct db *db, const char *user_id, const char *hash, bool only_if_unset)
{
  static struct db_statement st =
      DB_STATEMENT("adb_user_web_password_set", DB_CHANGE, 3,
                   "UPDATE gateway.users SET web_password_hash = $2, web_password_changed_at = now(),"
                   "       failed_attempts = 0, locked_until = NULL"
                   " WHERE user_id = $1 AND (NOT $3::boolean OR web_password_hash IS NULL) RETURNING 1");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, user_id);
  db_param_text(&p, hash);
  db_param_bool(&p, only_if_unset);
  return db_call(db, &st, &p, NULL);
}
