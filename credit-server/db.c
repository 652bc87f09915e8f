/* db.c — the credit server's connection pool, its prepared statements (all
 * of them in one table, so the SQL the daemon can run is visible at once),
 * and the transaction helper with bounded retries. */
#include "credit-server/db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/pg_errors.h"

static const struct statement {
  const char *name, *sql;
  int nparams;
} statements[] = {
  { "account_lock",
    "SELECT id, issuer_code, expiry, credit_limit, balance, currency, status"
    "  FROM issuer.card_accounts WHERE card_lookup_hash = $1 FOR UPDATE", 1 },
  { "merchant_for_issuer",
    "SELECT m.status, array_to_string(mm.methods, ' ') AS methods,"
    "       array_to_string(mm.installment_counts, ' ') AS counts, mm.merchant_id IS NOT NULL AS has_methods"
    "  FROM issuer.merchants m"
    "  LEFT JOIN issuer.merchant_methods mm ON mm.merchant_id = m.id AND mm.issuer_code = $2"
    " WHERE m.merchant_code = $1", 2 },
  /* the key is (STAN, terminal, full transmission time: field 7 placed in
   * its year, $14); the card's lookup hash is kept for the duplicate check */
  { "authorization_insert",
    "INSERT INTO issuer.authorizations (account_id, stan, terminal_id, transmission_time, merchant_code,"
    "   amount, currency, method, installments, approval_code, response_code, status, card_lookup_hash,"
    "   transmitted_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    " ON CONFLICT (stan, terminal_id, transmitted_at) DO NOTHING RETURNING id", 14 },
  { "authorization_find",
    "SELECT id, account_id, amount, status, response_code, coalesce(approval_code, '') AS approval_code,"
    "       coalesce(card_lookup_hash, '') AS card_lookup_hash, merchant_code, currency"
    "  FROM issuer.authorizations WHERE stan = $1 AND terminal_id = $2 AND transmitted_at = $3"
    "   FOR UPDATE", 3 },
  { "account_charge",
    "UPDATE issuer.card_accounts SET balance = balance + $2 WHERE id = $1", 2 },
  { "account_refund",
    "UPDATE issuer.card_accounts SET balance = balance - $2 WHERE id = $1", 2 },
  { "authorization_reverse",
    "UPDATE issuer.authorizations SET status = 'reversed', reversed_at = now()"
    " WHERE id = $1 AND status = 'approved'", 1 },
  /* a reversal that came before its original: the original is then refused
   * with the response code stored here (05) and never charged */
  { "authorization_void",
    "INSERT INTO issuer.authorizations (stan, terminal_id, transmission_time, merchant_code, amount,"
    "   currency, response_code, status, reversed_at, transmitted_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, '05', 'void', now(), $7)"
    " ON CONFLICT (stan, terminal_id, transmitted_at) DO NOTHING RETURNING id", 7 },
  { NULL, NULL, 0 }
};

struct pooled {
  PGconn *conn;
  bool busy;
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_free = PTHREAD_COND_INITIALIZER;
static struct pooled *pool;
static int pool_size;

static int prepare_all(PGconn *conn)
{
  for (const struct statement *s = statements; s->name; s++) {
    PGresult *r = PQprepare(conn, s->name, s->sql, s->nparams, NULL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
      log_event(LOG_ERROR, json_pack("{s:s, s:s, s:s}", "msg", "cannot prepare a statement", "statement", s->name,
                                     "error", PQerrorMessage(conn)));
    PQclear(r);
    if (!ok)
      return -1;
  }
  return 0;
}

static PGconn *connect_one(const char *uri)
{
  PGconn *conn = PQconnectdb(uri);

  if (PQstatus(conn) != CONNECTION_OK || prepare_all(conn) != 0) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "cannot connect to the issuer database",
                                   "error", PQerrorMessage(conn)));
    PQfinish(conn);
    return NULL;
  }
  return conn;
}

int db_pool_open(const char *uri, int size)
{
  pool = calloc((size_t)size, sizeof *pool);
  if (!pool)
    return -1;
  pool_size = size;
  for (int i = 0; i < size; i++)
    if (!(pool[i].conn = connect_one(uri)))
      return -1;
  return 0;
}

void db_pool_close(void)
{
  for (int i = 0; i < pool_size; i++)
    PQfinish(pool[i].conn);
  free(pool);
  pool = NULL;
  pool_size = 0;
}

static int pool_take(void)
{
  pthread_mutex_lock(&pool_lock);
  for (;;) {
    for (int i = 0; i < pool_size; i++)
      if (!pool[i].busy) {
        pool[i].busy = true;
        pthread_mutex_unlock(&pool_lock);
        return i;
      }
    pthread_cond_wait(&pool_free, &pool_lock);
  }
}

static void pool_give(int i)
{
  pthread_mutex_lock(&pool_lock);
  pool[i].busy = false;
  pthread_cond_signal(&pool_free);
  pthread_mutex_unlock(&pool_lock);
}

static enum db_rc classify(const PGresult *r)
{
  if (pg_error_retryable(r))
    return DB_RETRY;
  if (pg_error_plan_outdated(r))
    return DB_REPLAN;
  return DB_HARD;
}

/* After a migration changed a result type (see enum db_rc). */
static void prepare_again(PGconn *conn)
{
  PQclear(PQexec(conn, "DEALLOCATE ALL"));
  prepare_all(conn);
  log_event(LOG_WARN, json_pack("{s:s}", "msg", "the schema changed under prepared statements: prepared them again"));
}

PGresult *db_exec(PGconn *conn, const char *sql, int n, const char *const *params, ExecStatusType want)
{
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);

  if (PQresultStatus(r) != want) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "statement failed", "error", PQresultErrorMessage(r)));
    PQclear(r);
    return NULL;
  }
  return r;
}

PGresult *db_run(PGconn *conn, const char *name, int n, const char *const *params, ExecStatusType want,
                 enum db_rc *rc)
{
  PGresult *r = PQexecPrepared(conn, name, n, params, NULL, NULL, 0);

  if (PQresultStatus(r) == want) {
    *rc = DB_OK;
    return r;
  }
  *rc = classify(r);
  if (*rc == DB_HARD)
    log_event(LOG_ERROR, json_pack("{s:s, s:s, s:s}", "msg", "statement failed", "statement", name,
                                   "error", PQresultErrorMessage(r)));
  PQclear(r);
  return NULL;
}

static enum db_rc simple(PGconn *conn, const char *sql)
{
  PGresult *r = PQexec(conn, sql);
  enum db_rc rc = PQresultStatus(r) == PGRES_COMMAND_OK ? DB_OK : classify(r);

  PQclear(r);
  return rc;
}

/* A broken connection is reset (and its statements prepared again) before
 * the next use, so a restarted PostgreSQL costs one failed request. */
static void heal(PGconn *conn)
{
  if (PQstatus(conn) == CONNECTION_OK)
    return;
  PQreset(conn);
  if (PQstatus(conn) == CONNECTION_OK)
    prepare_all(conn);
}

enum db_rc db_transaction(const char *what, db_txn_fn fn, void *ctx)
{
  int slot = pool_take();
  PGconn *conn = pool[slot].conn;
  enum db_rc rc = DB_HARD;
  bool commit_in_doubt = false;   /* a COMMIT went out and its connection broke */

  for (int attempt = 0; attempt < 5; attempt++) {
    heal(conn);
    rc = simple(conn, "BEGIN");
    if (rc == DB_OK)
      rc = fn(conn, ctx);
    if (rc == DB_OK && PQtransactionStatus(conn) == PQTRANS_INTRANS) {
      rc = simple(conn, "COMMIT");
      if (rc != DB_OK && PQstatus(conn) != CONNECTION_OK)
        commit_in_doubt = true;
    }
    if (rc == DB_OK)
      break;
    if (PQtransactionStatus(conn) != PQTRANS_IDLE)
      simple(conn, "ROLLBACK");
    if (rc == DB_REPLAN) {
      prepare_again(conn);
      continue;
    }
    /* a lost connection is healed and the transaction run again: safe,
     * because a retried 0100 or reversal meets its own unique key */
    if (rc != DB_RETRY && (PQstatus(conn) == CONNECTION_OK || attempt >= 1))
      break;
    usleep(1000u * (unsigned)(attempt + 1));
  }
  if (rc != DB_OK)
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "transaction failed", "transaction", what));
  pool_give(slot);
  /* a retry that got through settled the doubt (it met its own row) */
  return rc == DB_OK ? DB_OK : commit_in_doubt ? DB_UNKNOWN : DB_HARD;
}
