/* db.c — connection, lazy preparation, reconnection and retries (see db.h). */
#include "gateway/db/db.h"
#include "common/config.h"
#include "common/log.h"
#include "common/pg_errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TXN_MAX_ATTEMPTS 3
#define FATE_PAUSE_FIRST_MS 20     /* between looks at a lost COMMIT's outcome, doubling */
#define FATE_PAUSE_MAX_MS 250

/* What became of a transaction whose COMMIT answer was lost. */
static struct db_statement q_xact_status = {
  "xact_status", "SELECT pg_xact_status($1::xid8) AS status", 1, 0
};

/* LISTEN takes no parameters; the channel name is ours (db_listen's
 * caller), quoted as an identifier all the same. */
static void listen_now(struct db *db)
{
  char *quoted = PQescapeIdentifier(db->conn, db->listen_channel, strlen(db->listen_channel));
  char sql[160];

  if (!quoted)
    return;
  snprintf(sql, sizeof sql, "LISTEN %s", quoted);
  PQfreemem(quoted);
  PGresult *res = PQexec(db->conn, sql);
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    log_msg(LOG_WARN, "cannot listen on %s: %s", db->listen_channel, PQresultErrorMessage(res));
  PQclear(res);
}

static bool connect_now(struct db *db)
{
  if (db->conn)
    PQfinish(db->conn);
  db->conn = PQconnectdb(db->uri);
  db->generation++;
  db->in_transaction = false;
  if (PQstatus(db->conn) != CONNECTION_OK) {
    log_msg(LOG_WARN, "database connection failed: %s", PQerrorMessage(db->conn));
    return false;
  }
  if (db->listen_channel)
    listen_now(db);
  return true;
}

struct db *db_open(const char *uri)
{
  struct db *db = calloc(1, sizeof *db);
  if (!db || !(db->uri = strdup(uri))) {
    free(db);
    return NULL;
  }
  db->in_doubt_wait_ms = config_long("PAYGW_DB_IN_DOUBT_MS", 2000, 0, 60000);
  connect_now(db);
  return db;
}

void db_close(struct db *db)
{
  if (!db)
    return;
  PQfinish(db->conn);
  free(db->uri);
  free(db);
}

void db_listen(struct db *db, const char *channel)
{
  db->listen_channel = channel;
  if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
    listen_now(db);
}

bool db_notified(struct db *db)
{
  bool any = false;
  PGnotify *n;

  if (!db->conn || PQstatus(db->conn) != CONNECTION_OK)
    return false;
  PQconsumeInput(db->conn);   /* reads what arrived, never waits */
  while ((n = PQnotifies(db->conn)) != NULL) {
    any = true;
    PQfreemem(n);
  }
  return any;
}

bool db_ensure_connected(struct db *db)
{
  if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
    return true;
  return connect_now(db);
}

static bool prepare(struct db *db, struct db_statement *st)
{
  if (st->prepared_generation == db->generation)
    return true;
  PGresult *res = PQprepare(db->conn, st->name, st->sql, st->n_params, NULL);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok)
    log_msg(LOG_ERROR, "cannot prepare %s: %s", st->name, PQresultErrorMessage(res));
  PQclear(res);
  if (ok)
    st->prepared_generation = db->generation;
  return ok;
}

/* A migration that changed a column's type (sql/0005 did) leaves the
 * statements this connection prepared before it unusable: PostgreSQL answers
 * 0A000 "cached plan must not change result type".  They are dropped and
 * prepared again on their next use, and the statement (or its transaction)
 * is tried again, so a running gateway survives the migration. */
static void forget_prepared(struct db *db)
{
  PQclear(PQexec(db->conn, "DEALLOCATE ALL"));
  db->generation++;   /* every statement is prepared again on its next use */
  db->plans_outdated = false;
  log_msg(LOG_WARN, "the schema changed under prepared statements: preparing them again");
}

static enum db_status classify(struct db *db, PGresult *res)
{
  if (pg_error_retryable(res))
    return DB_SOFT_ERROR;
  if (pg_error_plan_outdated(res)) {
    db->plans_outdated = true;
    return DB_SOFT_ERROR;
  }
  return DB_HARD_ERROR;
}

static enum db_status exec_once(struct db *db, struct db_statement *st, const char *const *values,
                                const int *lengths, const int *formats, PGresult **result)
{
  *result = NULL;
  if (!db_ensure_connected(db) || !prepare(db, st))
    return DB_HARD_ERROR;
  PGresult *res = PQexecPrepared(db->conn, st->name, st->n_params, values, lengths, formats, 0);
  ExecStatusType est = PQresultStatus(res);
  if (est == PGRES_TUPLES_OK || est == PGRES_COMMAND_OK) {
    int n = est == PGRES_TUPLES_OK ? PQntuples(res) : atoi(PQcmdTuples(res));
    *result = res;
    return n == 0 ? DB_NO_ROWS : n == 1 ? DB_ONE_ROW : DB_ROWS;
  }
  enum db_status status = classify(db, res);
  if (status == DB_HARD_ERROR)
    log_msg(LOG_ERROR, "statement %s failed: %s", st->name, PQresultErrorMessage(res));
  PQclear(res);
  return status;
}

enum db_status db_exec_params(struct db *db, struct db_statement *st, const char *const *values,
                              const int *lengths, const int *formats, PGresult **result)
{
  enum db_status status = exec_once(db, st, values, lengths, formats, result);
  /* a connection lost between requests is re-opened and the statement
   * retried, and so is a statement whose plan the schema outdated; inside a
   * transaction the whole transaction is retried instead */
  if (db->in_transaction)
    return status;
  if (status == DB_HARD_ERROR && PQstatus(db->conn) != CONNECTION_OK && connect_now(db))
    status = exec_once(db, st, values, lengths, formats, result);
  else if (status == DB_SOFT_ERROR && db->plans_outdated) {
    forget_prepared(db);
    status = exec_once(db, st, values, lengths, formats, result);
  }
  return status;
}

enum db_status db_exec(struct db *db, struct db_statement *st, const char *const *params, PGresult **result)
{
  return db_exec_params(db, st, params, NULL, NULL, result);
}

static bool simple_command(struct db *db, const char *sql, enum db_status *status)
{
  PGresult *res = PQexec(db->conn, sql);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok && status)
    *status = classify(db, res);
  PQclear(res);
  return ok;
}

/* BEGIN and the transaction's ID in one round trip (one simple Query of
 * two statements: the answer is the SELECT's).  The ID is assigned now
 * rather than at the first write: the same ID a writing transaction gets
 * anyway, so the lookup costs no extra round trip (docs/architecture.md). */
static bool begin(struct db *db)
{
  PGresult *res = PQexec(db->conn, "BEGIN; SELECT pg_current_xact_id()");
  bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

  if (ok)
    snprintf(db->xact_id, sizeof db->xact_id, "%s", PQgetvalue(res, 0, 0));
  PQclear(res);
  if (!ok && PQtransactionStatus(db->conn) == PQTRANS_INERROR)
    simple_command(db, "ROLLBACK", NULL);
  return ok;
}

static long long monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum fate { FATE_COMMITTED, FATE_ROLLED_BACK, FATE_UNKNOWN };

/* Looks up db->xact_id on a new connection until PostgreSQL says committed
 * or aborted, for up to in_doubt_wait_ms.  "in progress" is the old
 * backend still finishing the COMMIT, or not yet aware that its client has
 * gone (it then rolls back); no answer is the database still unreachable. */
static enum fate read_fate(struct db *db)
{
  long long deadline = monotonic_ms() + db->in_doubt_wait_ms;
  long pause = FATE_PAUSE_FIRST_MS;
  const char *params[] = { db->xact_id };

  for (;;) {
    PGresult *res = NULL;
    if (exec_once(db, &q_xact_status, params, NULL, NULL, &res) == DB_ONE_ROW) {
      const char *status = db_get(res, 0, "status");
      enum fate fate = strcmp(status, "committed") == 0 ? FATE_COMMITTED
                       : strcmp(status, "aborted") == 0 ? FATE_ROLLED_BACK : FATE_UNKNOWN;
      bool gone = db_is_null(res, 0, "status");    /* too old to be known: never for a fresh ID */
      PQclear(res);
      if (fate != FATE_UNKNOWN || gone)
        return fate;
    } else if (res) {
      PQclear(res);
    }
    if (monotonic_ms() + pause > deadline)
      return FATE_UNKNOWN;
    nanosleep(&(struct timespec){ pause / 1000, (pause % 1000) * 1000000L }, NULL);
    pause = pause * 2 > FATE_PAUSE_MAX_MS ? FATE_PAUSE_MAX_MS : pause * 2;
  }
}

/* COMMIT went out and the connection broke before its answer came: the
 * transaction is in doubt until read_fate settles it (see db.h). */
static enum db_status after_lost_commit(struct db *db, const char *label, enum db_status done)
{
  static const char *const said[] = { "committed", "rolled back", "unknown" };
  enum fate fate = read_fate(db);

  log_event(fate == FATE_UNKNOWN ? LOG_ERROR : LOG_WARN,
            json_pack("{s:s, s:s, s:s, s:s}", "msg", "the answer to a COMMIT was lost", "transaction", label,
                      "xact", db->xact_id, "outcome", said[fate]));
  if (fate == FATE_COMMITTED)
    return done;                 /* as if COMMIT had answered */
  if (fate == FATE_ROLLED_BACK)
    return DB_SOFT_ERROR;        /* nothing of it stands: run it again */
  db->in_doubt = true;
  return DB_IN_DOUBT;
}

static enum db_status run_attempt(struct db *db, const char *label, db_txn_fn fn, void *ctx)
{
  enum db_status done, status;

  if (!db_ensure_connected(db) || !begin(db))
    return DB_HARD_ERROR;
  db->in_transaction = true;
  status = done = fn(db, ctx);
  if (done < 0) {
    simple_command(db, "ROLLBACK", NULL);
  } else if (PQstatus(db->conn) != CONNECTION_OK) {
    status = DB_HARD_ERROR;      /* lost before COMMIT went out: nothing committed */
  } else if (!simple_command(db, "COMMIT", &status)) {
    if (PQstatus(db->conn) == CONNECTION_OK)
      log_msg(LOG_WARN, "commit of %s failed", label);
    else
      status = after_lost_commit(db, label, done);
  }
  db->in_transaction = false;
  return status;
}

enum db_status db_run_transaction(struct db *db, const char *label, db_txn_fn fn, void *ctx)
{
  enum db_status status = DB_HARD_ERROR;
  bool reconnected = false;

  db->in_doubt = false;
  for (int attempt = 0; attempt < TXN_MAX_ATTEMPTS; attempt++) {
    status = run_attempt(db, label, fn, ctx);
    if (status == DB_IN_DOUBT)
      break;                                  /* never run again blind */
    if (status < 0 && db->plans_outdated) {   /* whatever the caller made of the error */
      forget_prepared(db);
      continue;
    }
    if (status == DB_SOFT_ERROR)
      continue;
    if (status == DB_HARD_ERROR && !reconnected && PQstatus(db->conn) != CONNECTION_OK) {
      reconnected = true;
      if (connect_now(db))
        continue;
    }
    break;
  }
  return status;
}

const char *db_get(PGresult *res, int row, const char *column)
{
  int col = PQfnumber(res, column);
  if (col < 0 || row >= PQntuples(res) || PQgetisnull(res, row, col))
    return "";
  return PQgetvalue(res, row, col);
}

bool db_is_null(PGresult *res, int row, const char *column)
{
  int col = PQfnumber(res, column);
  return col < 0 || row >= PQntuples(res) || PQgetisnull(res, row, col);
}

enum db_status db_run(struct db *db, struct db_statement *st, const char *const *params)
{
  PGresult *res = NULL;
  enum db_status status = db_exec(db, st, params, &res);
  if (res)
    PQclear(res);
  return status;
}
