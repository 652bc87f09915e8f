/* db.h — one persistent PostgreSQL connection per worker, prepared
 * statements, reconnection, and the transaction helper.
 *
 * Each statement lives in its own file under db/ as a `struct db_statement`
 * and is prepared on first use on each connection (and again after a
 * reconnect); no SQL is ever built by pasting strings. */
#ifndef PAYGW_DB_H
#define PAYGW_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

/* DB_ABORT: a transaction function decided to roll back (not an error).
 * DB_IN_DOUBT (db_run_transaction only): COMMIT went out, its answer was
 * lost, and what became of the transaction could not be read: its work may
 * or may not stand, and it was not run again. */
enum db_status {
  DB_IN_DOUBT = -4, DB_ABORT = -3, DB_HARD_ERROR = -2, DB_SOFT_ERROR = -1,
  DB_NO_ROWS = 0, DB_ONE_ROW = 1, DB_ROWS = 2
};

struct db_statement {
  const char *name;
  const char *sql;
  int n_params;
  unsigned prepared_generation;   /* == db->generation once prepared */
};

struct db {
  PGconn *conn;
  char *uri;
  unsigned generation;            /* bumped on every (re)connect */
  bool in_transaction;
  const char *listen_channel;     /* LISTENed on at every (re)connect, or NULL */
  bool plans_outdated;            /* a migration changed a result type: re-prepare */
  char xact_id[24];               /* pg_current_xact_id() of the transaction db_run_transaction has open */
  long in_doubt_wait_ms;          /* how long a lost COMMIT's outcome is looked for (PAYGW_DB_IN_DOUBT_MS) */
  bool in_doubt;                  /* the last db_run_transaction returned DB_IN_DOUBT */
};

/* Connects (a failure is not fatal: the next statement tries again) and
 * reads PAYGW_DB_IN_DOUBT_MS.  Returns the handle; caller frees with
 * db_close. */
struct db *db_open(const char *uri);
void db_close(struct db *db);

/* LISTENs on channel now and after every reconnect (channel must outlive
 * db).  A notification sent while the connection was down is lost: compare
 * db->generation to notice a reconnect. */
void db_listen(struct db *db, const char *channel);

/* True when a notification arrived on the LISTENed channel since the last
 * call (all pending ones are consumed).  Never blocks; call it between
 * statements, not inside a result. */
bool db_notified(struct db *db);

/* True when the connection is up (reconnecting if it was lost). */
bool db_ensure_connected(struct db *db);

/* Runs a prepared statement with text parameters.  *result is set on
 * DB_NO_ROWS / DB_ONE_ROW / DB_ROWS and must be PQclear'd by the caller.
 * Outside a transaction, a lost connection is re-opened and the statement
 * tried once more — so a statement whose answer was lost may run twice:
 * outside db_run_transaction run only reads and guarded updates that change
 * nothing the second time. */
enum db_status db_exec(struct db *db, struct db_statement *st, const char *const *params, PGresult **result);

/* Runs st and frees the result: for statements whose rows are not needed.
 * Returns the db_status (DB_NO_ROWS when an UPDATE matched nothing). */
enum db_status db_run(struct db *db, struct db_statement *st, const char *const *params);

/* As db_exec with binary-capable parameters (lengths/formats as PQexecPrepared). */
enum db_status db_exec_params(struct db *db, struct db_statement *st, const char *const *values,
                              const int *lengths, const int *formats, PGresult **result);

/* Runs fn inside BEGIN/COMMIT, again (up to 3 times) on a serialization
 * failure or deadlock, and once more after a reconnect.  fn returns a
 * db_status; a negative one rolls back.  fn may run more than once, so it
 * sets everything it fills on each run.
 *
 * A COMMIT whose answer is lost (the connection broke after it went out) is
 * in doubt: the transaction's ID, learned in BEGIN's round trip, is looked
 * up on a new connection (pg_xact_status) for up to in_doubt_wait_ms.
 * Committed: fn's status is returned as if COMMIT had answered (what fn
 * filled in stands).  Rolled back: fn is run again.  Neither known in time:
 * DB_IN_DOUBT, logged, fn not run again, db->in_doubt set (reply.c's
 * reply_db_failed answers 503 outcome_unknown).
 *
 * Returns fn's last status, DB_IN_DOUBT, or DB_HARD_ERROR when BEGIN/COMMIT
 * themselves fail. */
typedef enum db_status (*db_txn_fn)(struct db *db, void *ctx);
enum db_status db_run_transaction(struct db *db, const char *label, db_txn_fn fn, void *ctx);

/* Value of a column by name in row 0 (or "" for NULL / unknown column). */
const char *db_get(PGresult *res, int row, const char *column);
bool db_is_null(PGresult *res, int row, const char *column);

#endif
