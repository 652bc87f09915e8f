/* user_add.c — adb_user_add: a user ID for one card and one handset
 * ([0052], [0068]) with its argon2id password hash.  A taken user ID
 * inserts nothing (DB_NO_ROWS). */
#include "ops.h"

enum db_status adb_user_add(struct db *db, const struct user_new *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_user_add", DB_CHANGE, 5,
                   "INSERT INTO gateway.users (user_id, subscriber_id, card_id, device_id, password_hash) "
                   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING RETURNING 1");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->user_id);
  db_param_int64(&p, in->subscriber_id);
  db_param_int64(&p, in->card_id);
  db_param_int64(&p, in->device_id);
  db_param_text(&p, in->password_hash);
  return db_call(db, &st, &p, NULL);
}
