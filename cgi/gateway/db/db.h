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

/* DB_ABORT: a transaction function decided to roll back (not an error). */
enum db_status { DB_ABORT = -3, DB_HARD_ERROR = -2, DB_SOFT_ERROR = -1, DB_NO_ROWS = 0, DB_ONE_ROW = 1, DB_ROWS = 2 };

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
};

/* Connects (a failure is not fatal: the next statement tries again).
 * Returns the handle; caller frees with db_close. */
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
 * tried once more. */
enum db_status db_exec(struct db *db, struct db_statement *st, const char *const *params, PGresult **result);

/* Runs st and frees the result: for statements whose rows are not needed.
 * Returns the db_status (DB_NO_ROWS when an UPDATE matched nothing). */
enum db_status db_run(struct db *db, struct db_statement *st, const char *const *params);

/* As db_exec with binary-capable parameters (lengths/formats as PQexecPrepared). */
enum db_status db_exec_params(struct db *db, struct db_statement *st, const char *const *values,
                              const int *lengths, const int *formats, PGresult **result);

/* Runs fn inside BEGIN/COMMIT, again (up to 3 times) on a serialization
 * failure or deadlock, and once more after a reconnect.  fn returns a
 * db_status; a negative one rolls back.  Returns fn's last status, or
 * DB_HARD_ERROR when BEGIN/COMMIT themselves fail. */
typedef enum db_status (*db_txn_fn)(struct db *db, void *ctx);
enum db_status db_run_transaction(struct db *db, const char *label, db_txn_fn fn, void *ctx);

/* Value of a column by name in row 0 (or "" for NULL / unknown column). */
const char *db_get(PGresult *res, int row, const char *column);
bool db_is_null(PGresult *res, int row, const char *column);

#endif
