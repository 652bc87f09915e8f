/* db_authorize.c — one 0100 as one database transaction: lock the account
 * row, read the merchant, decide (decide.c), record the authorization under
 * its unique key (STAN, terminal, full transmission time) and only then
 * charge.  A duplicate — or a 0100 whose reversal came first — hits the
 * unique key and charges nothing: the same request again is answered what
 * was stored, another request under that key (card, amount, merchant or
 * currency differ: duplicate.c) is refused 94. */
#include "credit-server/db.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cardcrypt.h"
#include "common/log.h"

struct authorize_ctx {
  const struct credit_request *rq;
  long now;
  struct authorize_result *out;
  char card_hash[CARDCRYPT_LOOKUP_HEX];        /* the card's lookup hash: never the number in SQL */
  char transmitted[CREDIT_TIMESTAMP_LEN];      /* rq->transmitted_at as a timestamptz parameter */
};

static void copy_col(const PGresult *r, const char *col, char *dst, size_t cap)
{
  snprintf(dst, cap, "%s", PQgetvalue(r, 0, PQfnumber(r, col)));
}

static enum db_rc load_account(PGconn *conn, const char *card_hash, struct credit_account *acct)
{
  enum db_rc rc;

  memset(acct, 0, sizeof *acct);
  const char *params[] = { card_hash };
  PGresult *r = db_run(conn, "account_lock", 1, params, PGRES_TUPLES_OK, &rc);
  if (!r)
    return rc;
  if (PQntuples(r) == 1) {
    char status[16];
    acct->found = true;
    acct->id = strtoll(PQgetvalue(r, 0, PQfnumber(r, "id")), NULL, 10);
    acct->credit_limit = strtoll(PQgetvalue(r, 0, PQfnumber(r, "credit_limit")), NULL, 10);
    acct->balance = strtoll(PQgetvalue(r, 0, PQfnumber(r, "balance")), NULL, 10);
    copy_col(r, "issuer_code", acct->issuer_code, sizeof acct->issuer_code);
    copy_col(r, "expiry", acct->expiry, sizeof acct->expiry);
    copy_col(r, "currency", acct->currency, sizeof acct->currency);
    copy_col(r, "status", status, sizeof status);
    acct->blocked = strcmp(status, "active") != 0;
  }
  PQclear(r);
  return DB_OK;
}

/* Splits "L I R" and "3 6 12" into the merchant's method lists. */
static void parse_methods(struct credit_merchant *m, char *methods, char *counts)
{
  char *save = NULL;

  for (char *w = strtok_r(methods, " ", &save); w && m->method_count < 5; w = strtok_r(NULL, " ", &save))
    snprintf(m->methods[m->method_count++], sizeof m->methods[0], "%s", w);
  save = NULL;
  for (char *w = strtok_r(counts, " ", &save); w && m->installment_count_n < 16; w = strtok_r(NULL, " ", &save))
    m->installment_counts[m->installment_count_n++] = atoi(w);
}

static enum db_rc load_merchant(PGconn *conn, const char *merchant_code, const char *issuer_code,
                                struct credit_merchant *m)
{
  enum db_rc rc;
  const char *params[] = { merchant_code, issuer_code };

  memset(m, 0, sizeof *m);
  PGresult *r = db_run(conn, "merchant_for_issuer", 2, params, PGRES_TUPLES_OK, &rc);
  if (!r)
    return rc;
  if (PQntuples(r) == 1) {
    char methods[32], counts[80];
    m->found = true;
    m->disabled = strcmp(PQgetvalue(r, 0, PQfnumber(r, "status")), "active") != 0;
    m->has_methods = strcmp(PQgetvalue(r, 0, PQfnumber(r, "has_methods")), "t") == 0;
    copy_col(r, "methods", methods, sizeof methods);
    copy_col(r, "counts", counts, sizeof counts);
    parse_methods(m, methods, counts);
  }
  PQclear(r);
  return DB_OK;
}

/* INSERT ... ON CONFLICT DO NOTHING; *inserted tells which happened. */
static enum db_rc record(PGconn *conn, const struct authorize_ctx *ctx, const struct credit_account *acct,
                         const char *code, const char *approval, bool *inserted)
{
  const struct credit_request *rq = ctx->rq;
  char account_id[24], amount[24], installments[8];
  enum db_rc rc;
  bool approved = strcmp(code, ISO_RC_APPROVED) == 0;

  snprintf(account_id, sizeof account_id, "%" PRId64, acct->id);
  snprintf(amount, sizeof amount, "%" PRId64, rq->amount);
  snprintf(installments, sizeof installments, "%d", rq->installments);
  const char *params[] = { acct->found ? account_id : NULL, rq->stan, rq->terminal_id, rq->transmission_time,
                           rq->merchant_code, amount, rq->currency, rq->method, installments,
                           approved ? approval : NULL, code, approved ? "approved" : "declined",
                           ctx->card_hash, ctx->transmitted };
  PGresult *r = db_run(conn, "authorization_insert", 14, params, PGRES_TUPLES_OK, &rc);
  if (!r)
    return rc;
  *inserted = PQntuples(r) == 1;
  PQclear(r);
  return DB_OK;
}

/* What the key's row holds, for the duplicate check. */
static void read_stored(const PGresult *r, struct credit_stored *s)
{
  memset(s, 0, sizeof *s);
  copy_col(r, "card_lookup_hash", s->card_hash, sizeof s->card_hash);
  copy_col(r, "merchant_code", s->merchant_code, sizeof s->merchant_code);
  copy_col(r, "currency", s->currency, sizeof s->currency);
  s->amount = strtoll(PQgetvalue(r, 0, PQfnumber(r, "amount")), NULL, 10);
}

/* The answer to a 0100 whose key is held: 94 when it is another request,
 * else the first answer (a duplicate, or a 0100 after its reversal). */
static enum db_rc stored_answer(PGconn *conn, const struct authorize_ctx *ctx, struct authorize_result *out)
{
  const struct credit_request *rq = ctx->rq;
  struct credit_stored stored;
  enum db_rc rc;
  const char *params[] = { rq->stan, rq->terminal_id, ctx->transmitted };

  PGresult *r = db_run(conn, "authorization_find", 3, params, PGRES_TUPLES_OK, &rc);
  if (!r)
    return rc;
  if (PQntuples(r) != 1) {
    PQclear(r);
    return DB_RETRY;    /* the conflicting row is gone (cannot happen: rows are never deleted) */
  }
  out->duplicate = true;
  read_stored(r, &stored);
  out->differs = credit_duplicate_differs(&stored, rq, ctx->card_hash);
  if (out->differs) {
    /* not a repeat of the stored request: neither its answer nor a charge */
    snprintf(out->response_code, sizeof out->response_code, "%s", ISO_RC_DUPLICATE);
    out->approval_code[0] = '\0';
    PQclear(r);
    return DB_OK;
  }
  copy_col(r, "response_code", out->response_code, sizeof out->response_code);
  copy_col(r, "approval_code", out->approval_code, sizeof out->approval_code);
  /* reversed since: the approval is no longer held, so a repeat is refused
   * like an original that comes after its reversal (a "void" row) */
  if (strcmp(PQgetvalue(r, 0, PQfnumber(r, "status")), "reversed") == 0) {
    snprintf(out->response_code, sizeof out->response_code, "%s", ISO_RC_DO_NOT_HONOUR);
    out->approval_code[0] = '\0';
  }
  PQclear(r);
  return DB_OK;
}

static enum db_rc charge(PGconn *conn, int64_t account, int64_t amount)
{
  char id[24], amt[24];
  enum db_rc rc;

  snprintf(id, sizeof id, "%" PRId64, account);
  snprintf(amt, sizeof amt, "%" PRId64, amount);
  const char *params[] = { id, amt };
  PGresult *r = db_run(conn, "account_charge", 2, params, PGRES_COMMAND_OK, &rc);
  if (!r)
    return rc;
  bool one = strcmp(PQcmdTuples(r), "1") == 0;
  PQclear(r);
  return one ? DB_OK : DB_HARD;
}

static enum db_rc authorize_txn(PGconn *conn, void *arg)
{
  struct authorize_ctx *ctx = arg;
  const struct credit_request *rq = ctx->rq;
  struct credit_account acct;
  struct credit_merchant merchant;
  enum db_rc rc;
  char approval[7] = "";
  bool inserted = false;

  memset(ctx->out, 0, sizeof *ctx->out);
  if ((rc = load_account(conn, ctx->card_hash, &acct)) != DB_OK)
    return rc;
  memset(&merchant, 0, sizeof merchant);
  if (acct.found && (rc = load_merchant(conn, rq->merchant_code, acct.issuer_code, &merchant)) != DB_OK)
    return rc;
  const char *code = credit_decide(rq, &acct, &merchant, ctx->now);
  bool approved = strcmp(code, ISO_RC_APPROVED) == 0;
  if (approved && credit_approval_code(approval) != 0)
    return DB_HARD;
  if ((rc = record(conn, ctx, &acct, code, approval, &inserted)) != DB_OK)
    return rc;
  if (!inserted)
    return stored_answer(conn, ctx, ctx->out);
  if (approved && (rc = charge(conn, acct.id, rq->amount)) != DB_OK)
    return rc;
  snprintf(ctx->out->response_code, sizeof ctx->out->response_code, "%s", code);
  snprintf(ctx->out->approval_code, sizeof ctx->out->approval_code, "%s", approval);
  ctx->out->charged = approved;
  return DB_OK;
}

int db_authorize(const struct credit_request *rq, long now, struct authorize_result *out)
{
  struct authorize_ctx ctx = { .rq = rq, .now = now, .out = out };

  memset(out, 0, sizeof *out);
  if (card_lookup_hash(rq->pan, ctx.card_hash) != 0)
    return -1;
  credit_timestamp_text(rq->transmitted_at, ctx.transmitted);
  if (!ctx.transmitted[0])
    return -1;
  enum db_rc rc = db_transaction("authorize", authorize_txn, &ctx);

  return rc == DB_OK ? 0 : rc == DB_UNKNOWN ? -2 : -1;
}
