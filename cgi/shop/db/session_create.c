/* session_create.c — db_session_create: a new browser session; in the same
 * statement the sessions unseen for keep_s are deleted (their carts with
 * them; their orders stay, without a session), so the table does not
 * grow with every visitor. */
#include "shop/db/shop_db.h"

#include <stdio.h>
#include <string.h>

enum db_status db_session_create(struct db *db, const char *token_hash, const char *csrf, long keep_s,
                                 struct session_row *out)
{
  static struct db_statement st =
      DB_STATEMENT("session_create", DB_CHANGE, 3,
                   "WITH gone AS (DELETE FROM shop.sessions s"
                   "               WHERE s.last_seen_at < now() - make_interval(secs => $3::integer))"
                   "INSERT INTO shop.sessions (token_hash, csrf_token) VALUES ($1, $2) RETURNING id");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, token_hash);
  db_param_text(&p, csrf);
  db_param_int64(&p, keep_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->id = db_int64(res, 0, "id");
    snprintf(out->csrf, sizeof out->csrf, "%s", csrf);
  }
  if (res)
    PQclear(res);
  return s < 0 ? s : s == DB_ONE_ROW ? DB_ONE_ROW : DB_HARD_ERROR;
}
