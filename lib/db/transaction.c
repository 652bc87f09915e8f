/* transaction.c — db_run_transaction (see db.h): BEGIN, the caller's
 * statements, COMMIT; bounded retries; and a COMMIT whose answer is lost
 * treated as in doubt, never run again blind.
 *
 * The transaction's ID is learnt in BEGIN's own round trip (one simple
 * Query of two statements).  When the connection breaks after COMMIT went
 * out, a new connection asks pg_xact_status for it until PostgreSQL says
 * committed or aborted, for up to PAYGW_DB_IN_DOUBT_MS: "in progress" is
 * the old backend still finishing the COMMIT, or not yet aware that its
 * client has gone (it then rolls back); no answer is the database still
 * unreachable.  The answer is trusted only from the server incarnation the
 * COMMIT went to (incarnation.c): a new connection to another — a promoted
 * standby, the same server after a restart or a crash — leaves the COMMIT
 * in doubt at once, with no lookup, as that server may have given the same
 * transaction ID to another transaction. */
#include "db/db_internal.h"
#include "common/log.h"

#include <stdio.h>
#include <string.h>

#define TXN_MAX_ATTEMPTS 3
#define FATE_PAUSE_FIRST_MS 20 /* between looks at a lost COMMIT's outcome, doubling */
#define FATE_PAUSE_MAX_MS 250

static struct db_statement xact_status =
    DB_STATEMENT("db_xact_status", DB_READ, 1, "SELECT pg_xact_status($1::xid8) AS status");

static bool simple_command(struct db *db, const char *sql, enum db_status *status)
{
  PGresult *res = PQexec(db->conn, sql);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;

  if (!ok && status)
    *status = db_classify(db, res);
  PQclear(res);
  return ok;
}

/* BEGIN and the transaction's ID in one round trip.  The ID is assigned
 * now rather than at the first write: the same ID a writing transaction
 * gets anyway, so the lookup costs no extra round trip. */
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

enum fate { FATE_COMMITTED, FATE_ROLLED_BACK, FATE_UNKNOWN };

/* `commit_server` is the incarnation of the connection the COMMIT went
 * out on; *why is set when the fate is unknown because the new connection
 * is to another. */
static enum fate read_fate(struct db *db, const struct db_incarnation *commit_server, char *why, size_t cap)
{
  long long deadline = db_monotonic_ms() + db->in_doubt_wait_ms;
  long pause = FATE_PAUSE_FIRST_MS;
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, db->xact_id);
  for (;;) {
    PGresult *res = NULL;
    if (db_ensure_connected(db) && db_incarnation_differs(commit_server, &db->incarnation, why, cap))
      return FATE_UNKNOWN; /* another server: its answer would be about another transaction */
    unsigned generation = db->generation;
    enum db_status looked = db_connected(db) ? db_call(db, &xact_status, &p, &res) : DB_HARD_ERROR;
    if (db->generation != generation && db_connected(db)
        && db_incarnation_differs(commit_server, &db->incarnation, why, cap)) {
      PQclear(res); /* db_call re-opened the connection and asked again: on another server */
      return FATE_UNKNOWN;
    }
    if (looked == DB_ONE_ROW) {
      bool gone = db_null(res, 0, "status"); /* too old to be known: never for a fresh ID */
      const char *status = db_text(res, 0, "status");
      enum fate fate = strcmp(status, "committed") == 0 ? FATE_COMMITTED
                       : strcmp(status, "aborted") == 0 ? FATE_ROLLED_BACK
                                                        : FATE_UNKNOWN;
      PQclear(res);
      if (fate != FATE_UNKNOWN || gone)
        return fate;
    } else if (res) {
      PQclear(res);
    }
    if (db_monotonic_ms() + pause > deadline)
      return FATE_UNKNOWN;
    db_pause_ms(pause);
    pause = pause * 2 > FATE_PAUSE_MAX_MS ? FATE_PAUSE_MAX_MS : pause * 2;
  }
}

static enum db_status after_lost_commit(struct db *db, const char *label, enum db_status done)
{
  static const char *const said[] = { "committed", "rolled back", "unknown" };
  struct db_incarnation commit_server = db->incarnation; /* before a new connection replaces it */
  char why[256] = "";
  enum fate fate = read_fate(db, &commit_server, why, sizeof why);

  if (!why[0] && fate == FATE_UNKNOWN)
    snprintf(why, sizeof why, "no answer within PAYGW_DB_IN_DOUBT_MS (%ld ms)", db->in_doubt_wait_ms);
  log_event(fate == FATE_UNKNOWN ? LOG_ERROR : LOG_WARN,
            json_pack("{s:s, s:s, s:s, s:s, s:s}", "msg", "the answer to a COMMIT was lost", "transaction", label,
                      "xact", db->xact_id, "outcome", said[fate], "why", why[0] ? why : "read on the same server"));
  if (fate == FATE_COMMITTED)
    return done; /* as if COMMIT had answered */
  if (fate == FATE_ROLLED_BACK)
    return DB_SOFT_ERROR; /* nothing of it stands: run it again */
  return DB_IN_DOUBT;
}

static enum db_status run_attempt(struct db *db, const char *label, db_txn_fn fn, void *ctx)
{
  enum db_status done, status;

  if (!db_ensure_connected(db) || !begin(db))
    return DB_HARD_ERROR;
  db->in_transaction = true;
  status = done = fn(db, ctx);
  db->in_transaction = false;
  if (done < 0) {
    if (db_connected(db))
      simple_command(db, "ROLLBACK", NULL);
  } else if (!db_connected(db)) {
    status = DB_HARD_ERROR; /* lost before COMMIT went out: nothing committed */
  } else if (!simple_command(db, "COMMIT", &status)) {
    if (db_connected(db))
      log_msg(LOG_WARN, "commit of %s failed: %s", label, db->error);
    else
      status = after_lost_commit(db, label, done);
  }
  return status;
}

enum db_status db_run_transaction(struct db *db, const char *label, db_txn_fn fn, void *ctx)
{
  enum db_status status = DB_HARD_ERROR;
  bool reconnected = false;

  db->in_doubt = false;
  for (int attempt = 0; attempt < TXN_MAX_ATTEMPTS; attempt++) {
    status = run_attempt(db, label, fn, ctx);
    if (status == DB_IN_DOUBT) {
      db->in_doubt = true;
      if (db_error_hook)
        db_error_hook("in_doubt");
      break; /* never run again blind */
    }
    if (status < 0 && db->plans_outdated) { /* whatever the caller made of the error */
      db_forget_prepared(db);
      continue;
    }
    if (status == DB_SOFT_ERROR)
      continue;
    if (status == DB_HARD_ERROR && !reconnected && !db_connected(db)) {
      reconnected = true; /* nothing of it committed: BEGIN or a statement before COMMIT met the loss */
      if (db_reconnect_within(db, db->reconnect_wait_ms))
        continue;
    }
    break;
  }
  return status;
}
