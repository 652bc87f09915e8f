/* db.c — the connection, its prepared statements, one statement per call
 * with reconnection and bounded retries (see db.h; transactions are in
 * transaction.c, results in result.c). */
#include "db/db_internal.h"
#include "common/config.h"
#include "common/log.h"
#include "common/pg_errors.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CALL_MAX_ATTEMPTS 3

static int next_slot;

void (*db_error_hook)(const char *kind);

static void tell(const char *kind)
{
  if (db_error_hook)
    db_error_hook(kind);
}

static void remember_error(struct db *db, const PGresult *res)
{
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
  snprintf(db->error, sizeof db->error, "%s", msg ? msg : db->conn ? PQerrorMessage(db->conn) : "no connection");
  db->error[strcspn(db->error, "\n")] = '\0';
}

/* LISTEN takes no parameters; the channel names are ours (db_listen's
 * callers), quoted as identifiers all the same. */
static void listen_now(struct db *db, const char *channel)
{
  char *quoted = PQescapeIdentifier(db->conn, channel, strlen(channel));
  char sql[160];

  if (!quoted)
    return;
  snprintf(sql, sizeof sql, "LISTEN %s", quoted);
  PQfreemem(quoted);
  PGresult *res = PQexec(db->conn, sql);
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    log_msg(LOG_WARN, "cannot listen on %s: %s", channel, PQresultErrorMessage(res));
  PQclear(res);
}

long long db_monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A failover leaves no node taking writes for seconds, and the sweeper
 * tries again every 20-250 ms: the first failure of an outage is logged,
 * then one line every CONNECT_LOG_EVERY_MS with the count, and the end. */
#define CONNECT_LOG_EVERY_MS 5000

static void log_connect_failed(struct db *db)
{
  long long now = db_monotonic_ms();

  if (db->connect_failures++ == 0 || now - db->connect_logged_ms >= CONNECT_LOG_EVERY_MS) {
    log_msg(LOG_WARN, "database connection failed (%u in a row): %s", db->connect_failures,
            db->conn ? PQerrorMessage(db->conn) : "no host passed the fence (an old primary: docs/ha.md)\n");
    db->connect_logged_ms = now;
  }
}

bool db_connect_now(struct db *db)
{
  const char *keys[] = { "dbname", "application_name", NULL };
  const char *values[] = { db->uri, db->program, NULL };

  if (db->conn)
    PQfinish(db->conn);
  db->conn = PQconnectdbParams(keys, values, 1); /* dbname may be a URI: expanded */
  db->generation++;
  db->in_transaction = false;
  memset(db->prepared, 0, sizeof db->prepared);
  memset(&db->incarnation, 0, sizeof db->incarnation);
  if (PQstatus(db->conn) == CONNECTION_OK && !db_fence_connection(db) && PQstatus(db->conn) == CONNECTION_OK) {
    PQfinish(db->conn); /* only old primaries answered (fence.c): none is used */
    db->conn = NULL;
  }
  if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
    log_connect_failed(db);
    tell("connect");
    remember_error(db, NULL); /* db_error: why (a command-line program says so) */
    return false;
  }
  if (db->connect_failures > 1)
    log_msg(LOG_INFO, "database connection made after %u failed attempts", db->connect_failures);
  db->connect_failures = 0;
  db->gave_up_waiting = false;
  db_learn_incarnation(db);
  for (int i = 0; i < db->n_channels; i++)
    listen_now(db, db->channels[i]);
  return true;
}

struct db *db_open(const char *uri, const char *program)
{
  struct db *db = calloc(1, sizeof *db);

  if (!db || !(db->uri = strdup(uri))) {
    free(db);
    return NULL;
  }
  snprintf(db->program, sizeof db->program, "%s", program ? program : "paygw");
  db->in_doubt_wait_ms = config_long("PAYGW_DB_IN_DOUBT_MS", 2000, 0, 60000);
  db->reconnect_wait_ms = config_long("PAYGW_DB_RECONNECT_MS", db->in_doubt_wait_ms, 0, 60000);
  db->fence_wait_ms = config_long("PAYGW_DB_FENCE_MS", 2000, 100, 60000);
  db_connect_now(db);
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

bool db_connected(const struct db *db)
{
  return db->conn && PQstatus(db->conn) == CONNECTION_OK;
}

/* A server that ended an idle connection (a restart, pg_terminate_backend)
 * left its goodbye and the end of the stream unread in the socket, and
 * libpq still says CONNECTION_OK until it next reads.  Reading what is
 * there now (notifications are kept for db_notified) lets libpq see the
 * end, so a statement is not sent on a connection already gone: sent,
 * a change would end in doubt for nothing. */
static void notice_idle_end(struct db *db)
{
  for (int i = 0; i < 4 && !db->in_transaction && db_connected(db); i++) {
    struct pollfd pfd = { .fd = PQsocket(db->conn), .events = POLLIN };
    if (poll(&pfd, 1, 0) <= 0 || !PQconsumeInput(db->conn))
      return;
  }
}

bool db_ensure_connected(struct db *db)
{
  notice_idle_end(db);
  return db_connected(db) || db_connect_now(db);
}

unsigned db_generation(const struct db *db)
{
  return db->generation;
}

int db_socket(const struct db *db)
{
  return db_connected(db) ? PQsocket(db->conn) : -1;
}

void db_listen(struct db *db, const char *channel)
{
  for (int i = 0; i < db->n_channels; i++)
    if (strcmp(db->channels[i], channel) == 0)
      return;
  if (db->n_channels == DB_MAX_CHANNELS) {
    LOG_BUG("more than %d channels to listen on", DB_MAX_CHANNELS);
    return;
  }
  db->channels[db->n_channels++] = channel;
  if (db_connected(db))
    listen_now(db, channel);
}

bool db_notified(struct db *db)
{
  bool any = false;
  PGnotify *n;

  if (!db_connected(db))
    return false;
  PQconsumeInput(db->conn); /* reads what arrived, never waits */
  while ((n = PQnotifies(db->conn)) != NULL) {
    any = true;
    PQfreemem(n);
  }
  return any;
}

const char *db_sqlstate(const struct db *db)
{
  return db->sqlstate;
}

const char *db_error(const struct db *db)
{
  return db->error;
}

bool db_in_doubt(const struct db *db)
{
  return db->in_doubt;
}

long db_in_doubt_wait_ms(const struct db *db)
{
  return db->in_doubt_wait_ms;
}

/* A statement's slot is taken once, by whichever thread uses it first (the
 * credit server's connections are used by several threads; GCC's and
 * clang's __atomic builtins work on the plain int of a static struct). */
static int slot_of(struct db_statement *st)
{
  int slot = __atomic_load_n(&st->slot, __ATOMIC_ACQUIRE);
  if (slot >= 0)
    return slot;
  int mine = __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED);
  int expected = -1;
  if (!__atomic_compare_exchange_n(&st->slot, &expected, mine, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    return expected; /* another thread got there first: its slot */
  return mine;
}

static bool prepare(struct db *db, struct db_statement *st)
{
  int slot = slot_of(st);

  if (slot >= DB_MAX_STATEMENTS) {
    LOG_BUG("more than %d statements: raise DB_MAX_STATEMENTS", DB_MAX_STATEMENTS);
    return false;
  }
  if (db->prepared[slot / 64] & (1ull << (slot % 64)))
    return true;
  PGresult *res = PQprepare(db->conn, st->name, st->sql, st->n_params, NULL);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok) {
    remember_error(db, res);
    log_msg(LOG_ERROR, "cannot prepare %s: %s", st->name, db->error);
  }
  PQclear(res);
  if (ok)
    db->prepared[slot / 64] |= 1ull << (slot % 64);
  return ok;
}

/* A migration that changed a result column's type leaves the statements
 * this connection prepared before it unusable: PostgreSQL answers 0A000
 * "cached plan must not change result type".  They are dropped and
 * prepared again on their next use, and the statement (or its
 * transaction) is tried again, so a running program survives the
 * migration. */
void db_forget_prepared(struct db *db)
{
  PQclear(PQexec(db->conn, "DEALLOCATE ALL"));
  memset(db->prepared, 0, sizeof db->prepared);
  db->plans_outdated = false;
  log_msg(LOG_WARN, "the schema changed under prepared statements: preparing them again");
}

enum db_status db_classify(struct db *db, const PGresult *res)
{
  remember_error(db, res);
  if (pg_error_retryable(res)) {
    tell("serialization");
    return DB_SOFT_ERROR;
  }
  if (pg_error_plan_outdated(res)) {
    tell("plan_outdated");
    db->plans_outdated = true;
    return DB_SOFT_ERROR;
  }
  tell(db_connected(db) ? "statement" : "connection_lost");
  return DB_HARD_ERROR;
}

static enum db_status count_rows(PGresult *res)
{
  int n = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : atoi(PQcmdTuples(res));
  return n == 0 ? DB_NO_ROWS : n == 1 ? DB_ONE_ROW : DB_ROWS;
}

/* One attempt.  *sent says whether the statement may have reached the
 * server (so a lost connection leaves its effect unknown). */
static enum db_status call_once(struct db *db, struct db_statement *st, const struct db_params *p, PGresult **result,
                                bool *sent)
{
  static const struct db_params none = { 0 };

  *result = NULL;
  *sent = false;
  if (!p)
    p = &none;
  if (p->overflow || p->n != st->n_params) {
    /* caught here, with the statement's name, rather than as PostgreSQL's
     * "bind message supplies N parameters" after a round trip */
    LOG_BUG("statement %s takes %d parameters, the call gave %d%s", st->name, st->n_params, p->n,
            p->overflow ? " and more" : "");
    return DB_HARD_ERROR;
  }
  if (!db_ensure_connected(db) || !prepare(db, st))
    return DB_HARD_ERROR;
  *sent = true;
  PGresult *res = PQexecPrepared(db->conn, st->name, p->n, p->values, p->lengths, p->formats, 0);
  ExecStatusType est = PQresultStatus(res);
  if (est == PGRES_TUPLES_OK || est == PGRES_COMMAND_OK) {
    *result = res;
    return count_rows(res);
  }
  enum db_status status = db_classify(db, res);
  if (status == DB_HARD_ERROR && db_connected(db))
    log_msg(LOG_ERROR, "statement %s failed: %s", st->name, db->error);
  PQclear(res);
  return status;
}

void db_pause_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

long db_reconnect_wait_ms(const struct db *db)
{
  return db->reconnect_wait_ms;
}

/* Re-opens the connection within wait_ms (the database may be restarting,
 * or a standby being promoted).  Once a whole wait has failed, the calls
 * that follow try once and give up at once until a connection is made
 * again: a failover longer than the wait then costs each worker one wait,
 * not one per request, and no worker is held through it (docs/architecture.md's
 * "one fault, one part": /v1/ping and the answers that need no database
 * go on); the client is told when to come back (Retry-After). */
bool db_reconnect_within(struct db *db, long wait_ms)
{
  long long deadline = db_monotonic_ms() + (db->gave_up_waiting ? 0 : wait_ms);
  long pause = 20;

  while (!db_connect_now(db)) {
    long long left = deadline - db_monotonic_ms();
    if (left <= 0) {
      db->gave_up_waiting = true;
      return false;
    }
    db_pause_ms(pause < left ? pause : (long)left); /* the last try at the deadline */
    pause = pause * 2 > 250 ? 250 : pause * 2;
  }
  return true;
}

enum db_status db_call(struct db *db, struct db_statement *st, const struct db_params *p, PGresult **res)
{
  PGresult *local = NULL, **out = res ? res : &local;
  enum db_status status = DB_HARD_ERROR;
  bool sent;

  if (!db->in_transaction)
    db->in_doubt = false;
  if (p && p->overflow) {
    LOG_BUG("statement %s: more than %d parameters", st->name, DB_MAX_PARAMS);
    return DB_HARD_ERROR;
  }
  for (int attempt = 0; attempt < CALL_MAX_ATTEMPTS; attempt++) {
    status = call_once(db, st, p, out, &sent);
    if (db->in_transaction)
      break; /* the transaction runner decides */
    if (status == DB_SOFT_ERROR) {
      if (db->plans_outdated)
        db_forget_prepared(db);
      continue; /* autocommit: nothing of it stands */
    }
    if (status != DB_HARD_ERROR || db_connected(db))
      break;
    /* the connection is gone */
    if (sent && st->kind == DB_CHANGE) {
      log_msg(LOG_ERROR, "the answer to %s was lost; its outcome is unknown", st->name);
      status = DB_IN_DOUBT;
      break;
    }
    /* a change sent again to read its outcome waits as long as a lost
     * COMMIT's lookup would; anything not sent, or a read, rides out a
     * short switch only (PAYGW_DB_RECONNECT_MS) */
    if (!db_reconnect_within(db, sent && st->kind != DB_READ ? db->in_doubt_wait_ms : db->reconnect_wait_ms)) {
      status = sent && st->kind != DB_READ ? DB_IN_DOUBT : DB_HARD_ERROR;
      if (status == DB_IN_DOUBT)
        log_msg(LOG_ERROR, "the answer to %s was lost and the database is not back; its outcome is unknown", st->name);
      break;
    }
    if (sent && st->kind == DB_REPEATABLE)
      log_msg(LOG_WARN, "the answer to %s was lost: sent again to read its outcome", st->name);
  }
  if (local)
    PQclear(local);
  if (status == DB_IN_DOUBT) {
    db->in_doubt = true;
    tell("in_doubt");
  }
  return status;
}
