/* sessions_db.c — the statements of history.sessions (sessions_db.h). */
#include "history/db/sessions_db.h"

#include <stdio.h>
#include <string.h>

enum db_status hdb_session_find(struct db *db, const char *token_hash, long idle_s, long max_s, struct hdb_session *out)
{
  /* one round trip: the row, whether it is live, and (when it is) its
   * idle clock restarted */
  static struct db_statement st =
      DB_STATEMENT("hdb_session_find", DB_REPEATABLE, 3,
                   "WITH s AS (SELECT h.id, h.user_id, h.csrf_token,"
                   "                  h.ended_at IS NULL"
                   "                  AND h.last_seen_at > now() - make_interval(secs => $2::integer)"
                   "                  AND h.created_at > now() - make_interval(secs => $3::integer)"
                   "                  AND u.status = 'active' AS live"
                   "             FROM history.sessions h JOIN gateway.users u ON u.user_id = h.user_id"
                   "            WHERE h.token_hash = $1),"
                   "     touched AS (UPDATE history.sessions h SET last_seen_at = now() FROM s"
                   "                  WHERE h.id = s.id AND s.live RETURNING h.id)"
                   "SELECT s.id, s.user_id, s.csrf_token, s.live FROM s");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, token_hash);
  db_param_int64(&p, idle_s);
  db_param_int64(&p, max_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->id = db_int64(res, 0, "id");
    db_copy(res, 0, "user_id", out->user_id);
    db_copy(res, 0, "csrf_token", out->csrf);
    out->live = db_bool(res, 0, "live");
  }
  if (res)
    PQclear(res);
  return s < 0 ? s : s == DB_ONE_ROW ? DB_ONE_ROW : DB_NO_ROWS;
}

enum db_status hdb_session_start(struct db *db, const char *token_hash, const char *user_id, const char *csrf,
                                 long max_s, int64_t *id)
{
  static struct db_statement st =
      DB_STATEMENT("hdb_session_start", DB_CHANGE, 4,
                   "WITH gone AS (DELETE FROM history.sessions h"
                   "               WHERE coalesce(h.ended_at, h.created_at + make_interval(secs => $4::integer))"
                   "                     < now() - interval '1 day'),"
                   "     reset AS (UPDATE gateway.users u SET failed_attempts = 0, locked_until = NULL"
                   "                WHERE u.user_id = $2 AND (u.failed_attempts <> 0 OR u.locked_until IS NOT NULL))"
                   "INSERT INTO history.sessions (token_hash, user_id, csrf_token) VALUES ($1, $2, $3) RETURNING id");
  struct db_params p;
  PGresult *res = NULL;

  *id = 0;
  db_params_init(&p);
  db_param_text(&p, token_hash);
  db_param_text(&p, user_id);
  db_param_text(&p, csrf);
  db_param_int64(&p, max_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    *id = db_int64(res, 0, "id");
  if (res)
    PQclear(res);
  return s < 0 ? s : s == DB_ONE_ROW ? DB_ONE_ROW : DB_HARD_ERROR;
}

enum db_status hdb_session_end(struct db *db, int64_t id)
{
  static struct db_statement st =
      DB_STATEMENT("hdb_session_end", DB_REPEATABLE, 1,
                   "UPDATE history.sessions SET ended_at = now() WHERE id = $1 AND ended_at IS NULL");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, id);
  enum db_status s = db_call(db, &st, &p, NULL);
  return s < 0 ? s : s > 0 ? DB_ONE_ROW : DB_NO_ROWS;
}
