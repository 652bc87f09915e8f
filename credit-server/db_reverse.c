/* db_reverse.c — a 0400/0401 as one database transaction: find the original
 * authorization by its key (field 90's STAN and time — placed in its year as
 * for the 0100 — and field 41) and lock it; undo an approved one exactly once (guarded UPDATE, then refund); when
 * the original was never seen, record a void row under its key so that the
 * original, arriving late, is refused instead of charged. */
#include "credit-server/db.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

struct reverse_ctx {
  const struct reversal_request *rv;
  enum reversal_outcome outcome;
  char transmitted[CREDIT_TIMESTAMP_LEN];   /* rv->transmitted_at as a timestamptz parameter */
};

static enum db_rc undo(PGconn *conn, const char *auth_id, const char *account_id, const char *amount, bool *done)
{
  enum db_rc rc;
  const char *p1[] = { auth_id };

  PGresult *r = db_run(conn, "authorization_reverse", 1, p1, PGRES_COMMAND_OK, &rc);
  if (!r)
    return rc;
  *done = strcmp(PQcmdTuples(r), "1") == 0;
  PQclear(r);
  if (!*done)
    return DB_OK;
  const char *p2[] = { account_id, amount };
  r = db_run(conn, "account_refund", 2, p2, PGRES_COMMAND_OK, &rc);
  if (!r)
    return rc;
  bool one = strcmp(PQcmdTuples(r), "1") == 0;
  PQclear(r);
  return one ? DB_OK : DB_HARD;
}

/* Inserts the void row; *inserted = false when an original got there first. */
static enum db_rc record_void(PGconn *conn, const struct reverse_ctx *ctx, bool *inserted)
{
  const struct reversal_request *rv = ctx->rv;
  char amount[24];
  enum db_rc rc;

  snprintf(amount, sizeof amount, "%" PRId64, rv->amount);
  const char *params[] = { rv->stan, rv->terminal_id, rv->transmission_time, rv->merchant_code, amount,
                           rv->currency, ctx->transmitted };
  PGresult *r = db_run(conn, "authorization_void", 7, params, PGRES_TUPLES_OK, &rc);
  if (!r)
    return rc;
  *inserted = PQntuples(r) == 1;
  PQclear(r);
  return DB_OK;
}

static enum db_rc reverse_txn(PGconn *conn, void *arg)
{
  struct reverse_ctx *ctx = arg;
  const struct reversal_request *rv = ctx->rv;
  const char *key[] = { rv->stan, rv->terminal_id, ctx->transmitted };
  enum db_rc rc;

  /* two rounds: when the void insert loses to an original committed in
   * between, the second look finds that original */
  for (int round = 0; round < 2; round++) {
    PGresult *r = db_run(conn, "authorization_find", 3, key, PGRES_TUPLES_OK, &rc);
    if (!r)
      return rc;
    if (PQntuples(r) == 1) {
      char id[24], account[24], amount[24], status[16];
      snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, PQfnumber(r, "id")));
      snprintf(account, sizeof account, "%s", PQgetvalue(r, 0, PQfnumber(r, "account_id")));
      snprintf(amount, sizeof amount, "%s", PQgetvalue(r, 0, PQfnumber(r, "amount")));
      snprintf(status, sizeof status, "%s", PQgetvalue(r, 0, PQfnumber(r, "status")));
      PQclear(r);
      if (strcmp(status, "void") == 0) {
        ctx->outcome = REVERSAL_NOT_FOUND;     /* a repeat of a reversal of nothing */
        return DB_OK;
      }
      bool done = false;
      if (strcmp(status, "approved") == 0 && (rc = undo(conn, id, account, amount, &done)) != DB_OK)
        return rc;
      ctx->outcome = done ? REVERSAL_UNDONE : REVERSAL_ALREADY;
      return DB_OK;
    }
    PQclear(r);
    bool inserted = false;
    if ((rc = record_void(conn, ctx, &inserted)) != DB_OK)
      return rc;
    if (inserted) {
      ctx->outcome = REVERSAL_NOT_FOUND;
      return DB_OK;
    }
  }
  return DB_RETRY;
}

int db_reverse(const struct reversal_request *rv, enum reversal_outcome *outcome)
{
  struct reverse_ctx ctx = { .rv = rv, .outcome = REVERSAL_NOT_FOUND };

  credit_timestamp_text(rv->transmitted_at, ctx.transmitted);
  if (!ctx.transmitted[0] || db_transaction("reverse", reverse_txn, &ctx) != DB_OK)
    return -1;
  *outcome = ctx.outcome;
  return 0;
}
