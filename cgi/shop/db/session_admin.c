/* session_admin.c — db_session_admin: the owner signed in or out, with a
 * new token and form token for the session. */
#include "shop/db/shop_db.h"

enum db_status db_session_admin(struct db *db, int64_t id, bool is_admin, const char *token_hash, const char *csrf)
{
  static struct db_statement st =
      DB_STATEMENT("session_admin", DB_REPEATABLE, 4,
                   "UPDATE shop.sessions SET is_admin = $2, token_hash = $3, csrf_token = $4, last_seen_at = now()"
                   " WHERE id = $1");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, id);
  db_param_bool(&p, is_admin);
  db_param_text(&p, token_hash);
  db_param_text(&p, csrf);
  return db_call(db, &st, &p, NULL);
}
