/* session_touch.c — db_session_touch: the live session of a cookie's token
 * hash, its idle clock restarted. */
#include "shop/db/shop_db.h"

#include <string.h>

enum db_status db_session_touch(struct db *db, const char *token_hash, long idle_s, struct session_row *out)
{
  static struct db_statement st =
      DB_STATEMENT("session_touch", DB_REPEATABLE, 2,
                   "UPDATE shop.sessions s SET last_seen_at = now()"
                   " WHERE s.token_hash = $1 AND s.last_seen_at > now() - make_interval(secs => $2::integer)"
                   " RETURNING s.id, s.csrf_token, s.is_admin");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, token_hash);
  db_param_int64(&p, idle_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->id = db_int64(res, 0, "id");
    db_copy(res, 0, "csrf_token", out->csrf);
    out->is_admin = db_bool(res, 0, "is_admin");
  }
  if (res)
    PQclear(res);
  return s < 0 ? s : s == DB_ONE_ROW ? DB_ONE_ROW : DB_NO_ROWS;
}
