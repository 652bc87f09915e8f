/* db.h — the one PostgreSQL layer of every paygw program (the gateway's
 * workers and sweeper, the credit server, paygw-admin): a connection with
 * its prepared statements, one status enum, one way to call a statement,
 * one transaction runner, and column readers that log a BUG for a column a
 * result does not have.
 *
 * Each database operation is a typed function of its own file (the
 * gateway's cgi/gateway/db/, the credit server's credit-server/db/, admin's
 * admin/db/) holding a `struct db_statement`, building its parameters with
 * db_params and reading its result into a struct: no caller builds a
 * parameter array or reads a column by name.  A state change is one
 * statement — most often one PL/pgSQL function in sql/ — so it costs one
 * round trip and one commit. */
#ifndef PAYGW_DB_H
#define PAYGW_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a call or a transaction came to.  The non-negative values count
 * rows (returned, or changed by an UPDATE without RETURNING).
 *   DB_SOFT_ERROR  a serialization failure or deadlock: run it again (the
 *                  helpers below do, a bounded number of times)
 *   DB_HARD_ERROR  anything else: the database refused it or is gone
 *   DB_ABORT       a transaction function chose to roll back (no error)
 *   DB_IN_DOUBT    a change went out and the answer was lost, and what
 *                  became of it could not be read: nothing may be repeated
 *                  blindly; answer "outcome unknown" and let the caller's
 *                  own retry (idempotency key, guarded state) settle it */
enum db_status {
  DB_IN_DOUBT = -4,
  DB_ABORT = -3,
  DB_HARD_ERROR = -2,
  DB_SOFT_ERROR = -1,
  DB_NO_ROWS = 0,
  DB_ONE_ROW = 1,
  DB_ROWS = 2
};

/* What may be done with a statement when its connection breaks after it
 * was sent, before its answer came:
 *   DB_READ        it changes nothing: send it again on a new connection
 *   DB_REPEATABLE  a change whose SQL recognises its own earlier effect for
 *                  the same parameters and answers it again (every
 *                  gateway.do_* function is written so, with a key the
 *                  caller chose: a transaction number, a session hash, a
 *                  poll timestamp): sending it again is how its outcome is
 *                  read, so it is sent again
 *   DB_CHANGE      anything else: the call ends DB_IN_DOUBT */
enum db_kind { DB_READ, DB_REPEATABLE, DB_CHANGE };

/* One statement, prepared on first use on each connection under `name`
 * (unique within a program).  Define it static in its operation's file:
 *   static struct db_statement st = DB_STATEMENT("txn_read", DB_READ, 1, "SELECT ...");  */
struct db_statement {
  const char *name;
  const char *sql;
  int n_params;
  enum db_kind kind;
  int slot; /* its bit in each connection's prepared set, from the first use */
};
#define DB_STATEMENT(name_, kind_, n_params_, sql_)                                                                    \
  {                                                                                                                    \
    .name = (name_), .sql = (sql_), .n_params = (n_params_), .kind = (kind_), .slot = -1                               \
  }

/* At most this many statements per program (a connection's prepared set). */
#define DB_MAX_STATEMENTS 256
#define DB_MAX_PARAMS 32

/* Parameters, in $1, $2 ... order; text unless made with db_param_bytea.
 * The values stay the caller's (or live in `scratch`) until the call ends. */
struct db_params {
  int n;
  bool overflow; /* more than DB_MAX_PARAMS: the call is refused as a BUG */
  const char *values[DB_MAX_PARAMS];
  int lengths[DB_MAX_PARAMS];
  int formats[DB_MAX_PARAMS];
  char scratch[DB_MAX_PARAMS][24];
};
void db_params_init(struct db_params *p);
void db_param_text(struct db_params *p, const char *text); /* NULL: SQL NULL */
void db_param_int64(struct db_params *p, int64_t v);
void db_param_bool(struct db_params *p, bool v);
void db_param_bytea(struct db_params *p, const void *data, size_t len); /* binary */

struct db;

/* Connects to uri (a failure is not fatal: the next call tries again).
 * `program` names the connection (application_name) in pg_stat_activity.
 * Returns the handle; caller frees with db_close. */
struct db *db_open(const char *uri, const char *program);
void db_close(struct db *db);

/* True when the connection is up, reconnecting if it was lost. */
bool db_ensure_connected(struct db *db);

/* The connection's number: bumped on every (re)connect, so a cache can
 * tell it may have missed a notification, or a session-level lock that it
 * was lost. */
unsigned db_generation(const struct db *db);

/* The socket to poll for notifications, or -1 when not connected. */
int db_socket(const struct db *db);

/* LISTENs on channel now and after every reconnect (channel must outlive
 * db; up to 4 channels).  A notification sent while the connection was
 * down is lost: compare db_generation. */
void db_listen(struct db *db, const char *channel);

/* True when a notification arrived on any LISTENed channel since the last
 * call (all pending ones are consumed).  Never blocks. */
bool db_notified(struct db *db);

/* Runs st with p (NULL for none) as a statement of its own: outside a
 * transaction it is one (autocommit), inside db_run_transaction it joins
 * it.  *res is set whenever the status is >= 0 and must be PQclear'd by
 * the caller (res may be NULL when the rows are not wanted).
 * Outside a transaction: a serialization failure or deadlock runs it
 * again (bounded); a lost connection is re-opened and the statement sent
 * again when st->kind allows it (see enum db_kind), else DB_IN_DOUBT. */
enum db_status db_call(struct db *db, struct db_statement *st, const struct db_params *p, PGresult **res);

/* Runs fn inside BEGIN/COMMIT, again (bounded) after a serialization
 * failure or deadlock, and once more after a reconnect (waiting for it as
 * db_reconnect_wait_ms says).  fn returns a db_status; a negative one
 * rolls back.  A COMMIT whose answer is lost is in doubt: the
 * transaction's ID, learnt in BEGIN's round trip, is looked up on a new
 * connection (pg_xact_status) — only when that connection is to the same
 * server incarnation as the COMMIT's (the same cluster, timeline, start
 * and crash-restart: lib/db/incarnation.c), else at once DB_IN_DOUBT:
 * committed → fn's results stand and fn's status is returned; aborted →
 * it runs again; unknown (for PAYGW_DB_IN_DOUBT_MS) → DB_IN_DOUBT.
 * Returns fn's last status, or DB_HARD_ERROR when BEGIN/COMMIT themselves
 * fail. */
typedef enum db_status (*db_txn_fn)(struct db *db, void *ctx);
enum db_status db_run_transaction(struct db *db, const char *label, db_txn_fn fn, void *ctx);

/* Told of every error a call meets, by kind: "connect" (a connection
 * could not be opened), "connection_lost", "serialization" (a
 * serialization failure or deadlock, run again), "plan_outdated" (a
 * migration changed a prepared statement's result), "statement" (any
 * other error the server answered) and "in_doubt" (a change's outcome
 * could not be read).  NULL, the default: nobody.  The gateway counts them
 * for its metrics (cgi/gateway/metrics.c). */
extern void (*db_error_hook)(const char *kind);

/* SQLSTATE and primary message of the last failed call ("" if none), for
 * callers that tell a constraint violation (class 23) from other errors.
 * After a failed connect, db_error is libpq's first line of why. */
const char *db_sqlstate(const struct db *db);
const char *db_error(const struct db *db);

/* True when the last db_call or db_run_transaction ended DB_IN_DOUBT, for
 * an answer that must tell "outcome unknown" from "database unreachable"
 * far from the call (the gateway's reply_db_failed); and how long a lost
 * answer's outcome is looked for (PAYGW_DB_IN_DOUBT_MS), for a Retry-After. */
bool db_in_doubt(const struct db *db);
long db_in_doubt_wait_ms(const struct db *db);
/* How long a statement not yet sent waits for a lost connection to come
 * back before its call fails (PAYGW_DB_RECONNECT_MS, by default the
 * in-doubt wait; a worker that already waited that long in vain tries once
 * until it connects again), for the Retry-After of database_unavailable. */
long db_reconnect_wait_ms(const struct db *db);

/* --- reading results: by column name, checked -------------------------
 * A column the result does not have is a bug in the operation's file: it
 * is logged as a BUG with the caller's file and line, and read as NULL. */
const char *db_text_at(const PGresult *res, int row, const char *column, const char *file, int line);
int64_t db_int64_at(const PGresult *res, int row, const char *column, const char *file, int line);
bool db_bool_at(const PGresult *res, int row, const char *column, const char *file, int line);
bool db_null_at(const PGresult *res, int row, const char *column, const char *file, int line);
/* Copies the text into dst; a value longer than cap - 1 is a BUG too (and
 * is cut).  "" for NULL. */
void db_copy_at(const PGresult *res, int row, const char *column, char *dst, size_t cap, const char *file, int line);
/* db_call for a statement that answers at most one row, of which column's
 * text is wanted: copied into dst (as db_copy; "" unless a row came).
 * DB_ONE_ROW, DB_NO_ROWS, or the call's error. */
enum db_status db_call_copy_at(struct db *db, struct db_statement *st, const struct db_params *p, const char *column,
                               char *dst, size_t cap, const char *file, int line);
#define db_call_copy(db, st, p, col, dst)                                                                              \
  db_call_copy_at((db), (st), (p), (col), (dst), sizeof(dst), __FILE__, __LINE__)
#define db_text(res, row, col) db_text_at((res), (row), (col), __FILE__, __LINE__)
#define db_int64(res, row, col) db_int64_at((res), (row), (col), __FILE__, __LINE__)
#define db_bool(res, row, col) db_bool_at((res), (row), (col), __FILE__, __LINE__)
#define db_null(res, row, col) db_null_at((res), (row), (col), __FILE__, __LINE__)
#define db_copy(res, row, col, dst) db_copy_at((res), (row), (col), (dst), sizeof(dst), __FILE__, __LINE__)

/* --- the outcome word of a PL/pgSQL function ---------------------------
 * A gateway.do_* or issuer.do_* function answers an `outcome` column whose
 * words each operation lists in a table indexed by its C enum:
 *   static const char *const outcomes[] = { [TXN_CREATED] = "created", ... };
 * db_word_index finds a word's index (-1 when it is not there; NULL slots
 * are skipped).  db_outcome reads row 0's outcome of a call's answer into
 * *outcome: DB_ONE_ROW when the call answered at least one row with a word
 * of the table; an error status as it came; else a BUG (an outcome the C
 * side does not know, or no row at all), logged with the caller's file
 * and line, and DB_HARD_ERROR.  Call it after db_call, not around it: C
 * does not say which argument is evaluated first, so res may still be
 * NULL in db_outcome(db_call(..., &res), res, ...). */
#define DB_WORDS(table) (sizeof(table) / sizeof((table)[0]))
int db_word_index(const char *word, const char *const *words, size_t n);
enum db_status db_outcome_at(enum db_status s, const PGresult *res, const char *function, const char *const *words,
                             size_t n, int *outcome, const char *file, int line);
#define db_outcome(s, res, function, table, outcome)                                                                   \
  db_outcome_at((s), (res), (function), (table), DB_WORDS(table), (outcome), __FILE__, __LINE__)

#endif
