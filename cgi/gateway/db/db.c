/* db.c — connection, lazy preparation, reconnection and retries (see db.h). */
#include "gateway/db/db.h"
#include "common/log.h"
#include "common/pg_errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TXN_MAX_ATTEMPTS 3

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

static enum db_status run_attempt(struct db *db, const char *label, db_txn_fn fn, void *ctx)
{
  enum db_status status = DB_HARD_ERROR;

  if (!db_ensure_connected(db) || !simple_command(db, "BEGIN", NULL))
    return DB_HARD_ERROR;
  db->in_transaction = true;
  status = fn(db, ctx);
  if (status >= 0) {
    if (!simple_command(db, "COMMIT", &status))
      log_msg(LOG_WARN, "commit of %s failed", label);
  } else {
    simple_command(db, "ROLLBACK", NULL);
  }
  db->in_transaction = false;
  return status;
}

enum db_status db_run_transaction(struct db *db, const char *label, db_txn_fn fn, void *ctx)
{
  enum db_status status = DB_HARD_ERROR;
  bool reconnected = false;

  for (int attempt = 0; attempt < TXN_MAX_ATTEMPTS; attempt++) {
    status = run_attempt(db, label, fn, ctx);
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
