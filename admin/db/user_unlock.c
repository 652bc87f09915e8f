/* user_unlock.c — adb_user_unlock: clears a user ID's failed-login count
 * and lock. */
#include "ops.h"

enum db_status adb_user_unlock(struct db *db, const char *user_id)
{
  static struct db_statement st =
      DB_STATEMENT("adb_user_unlock", DB_REPEATABLE, 1,
                   "UPDATE gateway.users SET failed_attempts = 0, locked_until = NULL WHERE user_id = $1 RETURNING 1");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, user_id);
  return db_call(db, &st, &p, NULL);
}
