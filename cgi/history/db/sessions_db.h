/* sessions_db.h — history.fcgi's sign-in sessions (history.sessions,
 * sql/0019_history.sql): found, started and ended, each one statement
 * (sessions_db.c).  Run as the role paygw_history.  The ages are judged
 * with the database's now(), so a test moves a session's clock with SQL. */
#ifndef HISTORY_SESSIONS_DB_H
#define HISTORY_SESSIONS_DB_H

#include "db/db.h"
#include "history/request.h"

#include <stdbool.h>
#include <stdint.h>

struct hdb_session {
  int64_t id;
  char user_id[HISTORY_USER_ID_MAX + 1];
  char csrf[HISTORY_CSRF_HEX + 1];
  bool live; /* false: it exists but has ended (signed out, idle, too old, user disabled) */
};

/* The session whose token hashes to token_hash: DB_ONE_ROW with *out
 * (live or not; a live one's last_seen_at moves to now), DB_NO_ROWS when
 * no session has that hash, or an error.  A session is live when it has
 * not ended, was seen within idle_s, began within max_s and its user ID is
 * active. */
enum db_status hdb_session_find(struct db *db, const char *token_hash, long idle_s, long max_s,
                                struct hdb_session *out);

/* A new session of user_id (after a right password): its failed-attempt
 * count is reset in the same statement, and sessions that ended more than
 * a day ago are deleted.  DB_ONE_ROW with *id, or an error. */
enum db_status hdb_session_start(struct db *db, const char *token_hash, const char *user_id, const char *csrf,
                                 long max_s, int64_t *id);

/* Ends session id (sign-out): DB_ONE_ROW, DB_NO_ROWS when it had already
 * ended, or an error. */
enum db_status hdb_session_end(struct db *db, int64_t id);

#endif
