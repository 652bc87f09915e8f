/* sweep.c — see sweep.h.  Exactly once toward the credit server: a row is
 * claimed (attempt counted, next attempt pushed back) in a commit of its
 * own before its reversal is sent, so neither a second sweeper nor this one
 * after a crash sends it again before its time; an authorization whose
 * answer was recorded ("answered") is never touched. */
#include "gateway/sweep.h"
#include "gateway/backoff.h"
#include "gateway/db/queries.h"
#include "gateway/payment.h"
#include "gateway/settings.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A claim outlasts its attempt: the issuer's connect (up to 1 s, twice) and
 * the 0410's time-out, plus the back-off. */
#define CLAIM_MARGIN_MS 2000
#define ABANDONED_MARGIN_S 5
#define STALLED_PAUSE_MS 1000
#define ABANDONED_REASON "no answer was recorded; the authorization is being reversed"

static void load_row(PGresult *res, int i, struct payment *p)
{
  memset(p, 0, sizeof *p);
  snprintf(p->ref.id, sizeof p->ref.id, "%s", db_text(res, i, "transaction_id"));
  snprintf(p->ref.user_id, sizeof p->ref.user_id, "%s", db_text(res, i, "user_id"));
  snprintf(p->ref.device_id, sizeof p->ref.device_id, "%s", db_text(res, i, "device_id"));
  snprintf(p->ref.number, sizeof p->ref.number, "%s", db_text(res, i, "number"));
  payment_prepare(p, db_text(res, i, "currency"), db_text(res, i, "merchant_code"),
                  strtoll(db_text(res, i, "total"), NULL, 10));
  p->auth.stan = atoi(db_text(res, i, "stan"));
  snprintf(p->auth.terminal_field, sizeof p->auth.terminal_field, "%s", db_text(res, i, "terminal_code"));
  snprintf(p->auth.transmission_time, sizeof p->auth.transmission_time, "%s", db_text(res, i, "transmission_time"));
}

/* "sent" older than the issuer time-out plus a margin, so a worker still
 * waiting for its answer is not overtaken. */
static void abandoned_age(char out[24])
{
  snprintf(out, 24, "%ld", settings.issuer_timeout_ms / 1000 + ABANDONED_MARGIN_S);
}

/* A worker died between send and answer: the payment fails, the handset is
 * told, and the reversal falls due. */
static enum db_status settle_abandoned(struct db *db, void *ctx)
{
  int *settled = ctx;
  char age[24];
  PGresult *res;
  struct payment p;

  abandoned_age(age);
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, age);
  enum db_status st = db_call(db, &q_auth_abandoned, &params, &res);
  *settled = 0;
  if (st == DB_NO_ROWS)
    PQclear(res);
  if (st <= 0)
    return st;
  for (int i = 0; i < PQntuples(res); i++) {
    load_row(res, i, &p);
    struct db_params auth;
    db_params_init(&auth);
    db_param_text(&auth, p.ref.id);
    struct db_params fin;
    db_params_init(&fin);
    db_param_text(&fin, p.ref.id);
    db_param_text(&fin, "failed");
    db_param_text(&fin, "authorizing");
    db_param_text(&fin, "91");
    db_param_text(&fin, ABANDONED_REASON);
    db_param_text(&fin, NULL);
    if ((st = db_call(db, &q_auth_reversal_pending, &auth, NULL)) < 0 || (st = db_call(db, &q_txn_finish, &fin, NULL)) < 0)
      break;
    if (st == DB_ONE_ROW
        && (st = txn_notify_handset(db, &p.ref, "failed", NULL, "the payment could not be completed")) < 0)
      break;
    log_msg(LOG_WARN, "sweep: transaction %s had no recorded answer; its authorization will be reversed", p.ref.number);
    (*settled)++;
  }
  PQclear(res);
  return st < 0 ? st : DB_ROWS;
}

/* Expiry and forgetting, at most every PAYGW_SWEEP_EVERY seconds. */
static void housekeeping(struct db *db)
{
  static time_t last;
  time_t now = time(NULL);

  if (last && now - last < settings.sweep_every_s)
    return;
  last = now;
  db_call(db, &q_txn_expire_overdue, NULL, NULL);
  db_call(db, &q_idem_forget, NULL, NULL);
}

struct claim {
  struct payment pay;
  int attempt;          /* this attempt's number, 1 for the 0400 */
  bool found;
};

/* Takes the reversal due longest, counts the attempt and leases the row. */
static enum db_status claim_due(struct db *db, void *ctx)
{
  struct claim *c = ctx;
  char lease[24];
  PGresult *res;

  c->found = false;
  enum db_status st = db_call(db, &q_auth_reversal_due, NULL, &res);
  if (st == DB_NO_ROWS)
    PQclear(res);
  if (st <= 0)
    return st;
  load_row(res, 0, &c->pay);
  int next = atoi(db_text(res, 0, "reversal_attempts")) + 1;
  PQclear(res);
  snprintf(lease, sizeof lease, "%ld", settings.reversal_timeout_ms + CLAIM_MARGIN_MS
           + backoff_ms(next, settings.reversal_backoff_ms, settings.reversal_backoff_max_ms));
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, c->pay.ref.id);
  db_param_text(&params, lease);
  if ((st = db_call(db, &q_auth_reversal_claim, &params, &res)) != DB_ONE_ROW)
    return st < 0 ? st : DB_HARD_ERROR;    /* locked, so it cannot have moved */
  c->attempt = atoi(db_text(res, 0, "reversal_attempts"));
  PQclear(res);
  c->found = true;
  return DB_ONE_ROW;
}

/* Sends one due reversal (0400 the first time, 0401 after) and records what
 * came of it.  False when none was due or the database failed. */
static bool reverse_one(struct db *db)
{
  struct claim c;
  char retry[24];

  if (db_run_transaction(db, "claim reversal", claim_due, &c) < 0 || !c.found)
    return false;
  bool repeat = c.attempt > 1;
  bool acknowledged = issuer_reverse(&c.pay.auth, repeat, settings.reversal_timeout_ms) == ISSUER_ANSWERED;
  long retry_ms = backoff_ms(c.attempt, settings.reversal_backoff_ms, settings.reversal_backoff_max_ms);
  snprintf(retry, sizeof retry, "%ld", retry_ms);
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, c.pay.ref.id);
  if (!acknowledged)
    db_param_text(&params, retry);   /* auth_reversed takes the id alone: lib/db sends every parameter given */
  /* a failure here leaves the claim's lease: the next attempt is a 0401,
   * which the credit server acknowledges like the first */
  db_call(db, acknowledged ? &q_auth_reversed : &q_auth_reversal_retry, &params, NULL);
  json_t *line = json_pack("{s:s, s:s, s:i, s:s, s:i, s:b, s:i}", "msg", "reversal attempt",
                           "transaction", c.pay.ref.number, "stan", c.pay.auth.stan,
                           "mti", repeat ? "0401" : "0400", "attempt", c.attempt,
                           "acknowledged", acknowledged, "sweeper", (int)getpid());
  if (!acknowledged)
    json_object_set_new(line, "retry_in_ms", json_integer(retry_ms));
  log_event(acknowledged ? LOG_INFO : LOG_WARN, line);
  return true;
}

static double elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static long next_due_ms(struct db *db)
{
  char age[24];
  PGresult *res;
  long due = -1;

  abandoned_age(age);
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, age);
  if (db_call(db, &q_auth_next_due, &params, &res) == DB_ONE_ROW) {
    if (!db_null(res, 0, "due_in_ms")) {
      due = strtol(db_text(res, 0, "due_in_ms"), NULL, 10);
      if (due < 0)
        due = 0;
    }
    PQclear(res);
  } else if (res) {
    PQclear(res);
  }
  return due;
}

long sweep_pass(struct db *db, bool (*go_on)(struct db *db))
{
  struct timespec start;
  int settled = 0, sent = 0;

  clock_gettime(CLOCK_MONOTONIC, &start);
  db_run_transaction(db, "settle abandoned", settle_abandoned, &settled);
  housekeeping(db);
  while (go_on(db) && elapsed_ms(&start) < (double)settings.sweep_budget_ms && reverse_one(db))
    sent++;
  long due = next_due_ms(db);
  /* something due yet nothing sent: the database refused the claim (or the
   * row fell due just now); pause rather than spin */
  return due == 0 && sent == 0 ? STALLED_PAUSE_MS : due;
}
