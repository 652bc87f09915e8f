/* sweep.c — see sweep.h.  Exactly once toward the credit server: a row is
 * claimed (attempt counted, next attempt pushed back) in a commit of its
 * own before its reversal is sent, so neither a second sweeper nor this one
 * after a crash sends it again before its time; an authorization whose
 * answer was recorded ("answered") is never touched. */
#include "gateway/sweep.h"
#include "gateway/backoff.h"
#include "gateway/db/authorization.h"
#include "gateway/db/refund.h"
#include "gateway/db/sweeper.h"
#include "gateway/db/token.h"
#include "gateway/mailbox.h"
#include "gateway/metrics.h"
#include "gateway/payment.h"
#include "gateway/refund.h"
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

static void load_row(const struct reversal_row *r, struct payment *p)
{
  memset(p, 0, sizeof *p);
  snprintf(p->ref.id, sizeof p->ref.id, "%s", r->txn_id);
  snprintf(p->ref.user_id, sizeof p->ref.user_id, "%s", r->user_id);
  snprintf(p->ref.device_id, sizeof p->ref.device_id, "%s", r->device_id);
  snprintf(p->ref.number, sizeof p->ref.number, "%s", r->number);
  payment_prepare(p, r->currency, r->merchant_code, r->total);
  p->auth.stan = r->stan;
  snprintf(p->auth.terminal_field, sizeof p->auth.terminal_field, "%s", r->terminal_code);
  snprintf(p->auth.transmission_time, sizeof p->auth.transmission_time, "%s", r->transmission_time);
}

/* "sent" older than the issuer time-out plus a margin, so a worker still
 * waiting for its answer is not overtaken. */
static long abandoned_age_s(void)
{
  return settings.issuer_timeout_ms / 1000 + ABANDONED_MARGIN_S;
}

/* One authorization a worker left "sent": the payment fails, the handset
 * is told, and the reversal falls due (the sweeper needs no wake-up).  Its
 * own call and commit: the guards skip it if its worker recorded the
 * answer after all. */
static enum db_status settle_one(struct db *db, const struct reversal_row *r)
{
  struct payment p;
  struct auth_fail_out out;
  char *message, sig[90];

  load_row(r, &p);
  if (mailbox_seal(txn_completion_message(&p.ref, "failed", NULL, "the payment could not be completed"), &message, sig)
      != 0)
    return DB_HARD_ERROR;
  struct auth_fail_in in = {
    .txn_id = p.ref.id,
    .reason = ABANDONED_REASON,
    .message = message,
    .signature = sig,
    .wake = NULL,
  };
  enum db_status st = db_auth_fail(db, &in, &out);
  free(message);
  if (st >= 0 && out.was_sent) {
    metrics_payment("failed");
    log_msg(LOG_WARN, "sweep: transaction %s had no recorded answer; its authorization will be reversed", p.ref.number);
  }
  return st;
}

/* A worker died between send and answer: each such authorization settled
 * (until the database fails). */
static void settle_abandoned(struct db *db)
{
  struct reversal_row rows[SWEEP_ABANDONED_MAX];
  int n;

  if (db_auth_abandoned(db, abandoned_age_s(), rows, &n) < 0)
    return;
  for (int i = 0; i < n; i++)
    if (settle_one(db, &rows[i]) < 0)
      return;
}

/* Token requests (sql/0021): unanswered ones expired, and ones a worker
 * left delivering (it died between its 0600 and the 0610, taking the key
 * with it) failed once the issuer's time-out and a margin are past. */
static void token_housekeeping(struct db *db)
{
  long expired, failed;

  if (db_token_sweep(db, abandoned_age_s(), &expired, &failed) == DB_ONE_ROW && failed > 0)
    log_msg(LOG_WARN, "sweep: %ld token request(s) had no recorded key delivery; failed as issuer_unavailable", failed);
}

/* Expiry and forgetting, at most every PAYGW_SWEEP_EVERY seconds. */
static void housekeeping(struct db *db)
{
  static time_t last;
  time_t now = time(NULL);

  if (last && now - last < settings.sweep_every_s)
    return;
  last = now;
  long expired = 0;
  if (db_txn_expire_overdue(db, &expired) >= 0)
    metrics_payments("expired", expired);
  token_housekeeping(db);
  db_idem_forget(db);
}

/* Sends one due reversal (0400 the first time, 0401 after) and records what
 * came of it.  False when none was due or the database failed. */
static bool reverse_one(struct db *db)
{
  struct reversal_row r;
  struct payment pay;
  long leases[SWEEP_LEASES_MAX];

  int n_leases = backoff_leases(leases, SWEEP_LEASES_MAX, settings.reversal_timeout_ms + CLAIM_MARGIN_MS,
                                settings.reversal_backoff_ms, settings.reversal_backoff_max_ms);

  if (db_auth_reversal_claim(db, leases, n_leases, &r) != DB_ONE_ROW)
    return false;
  load_row(&r, &pay);
  bool repeat = r.attempt > 1;
  bool acknowledged = issuer_reverse(&pay.auth, repeat, settings.reversal_timeout_ms) == ISSUER_ANSWERED;
  long retry_ms = backoff_ms(r.attempt, settings.reversal_backoff_ms, settings.reversal_backoff_max_ms);
  /* a failure here leaves the claim's lease: the next attempt is a 0401,
   * which the credit server acknowledges like the first; only the retry
   * takes the back-off */
  if (acknowledged)
    db_auth_reversed(db, pay.ref.id);
  else
    db_auth_reversal_retry(db, pay.ref.id, retry_ms);
  json_t *line = json_pack("{s:s, s:s, s:i, s:s, s:i, s:b, s:i}", "msg", "reversal attempt", "transaction",
                           pay.ref.number, "stan", pay.auth.stan, "mti", repeat ? "0401" : "0400", "attempt", r.attempt,
                           "acknowledged", acknowledged, "sweeper", (int)getpid());
  if (!acknowledged)
    json_object_set_new(line, "retry_in_ms", json_integer(retry_ms));
  log_event(acknowledged ? LOG_INFO : LOG_WARN, line);
  return true;
}

/* Refunds (issue 15): those pending past PAYGW_REFUND_GIVE_UP_S given up
 * (failed), then one due repeat (0221, or 0401 for a void) claimed — counted
 * and leased in a commit of its own, as a reversal — sent, and recorded, or
 * put off with the reversal's back-off.  False when none was due or the
 * database failed. */
static bool refund_one(struct db *db)
{
  long leases[SWEEP_LEASES_MAX], gave_up;
  char id[24];
  struct refund_row r;
  int n_leases = backoff_leases(leases, SWEEP_LEASES_MAX, settings.reversal_timeout_ms + CLAIM_MARGIN_MS,
                                settings.reversal_backoff_ms, settings.reversal_backoff_max_ms);

  if (db_refund_claim(db, leases, n_leases, settings.refund_give_up_s, id, &gave_up) != DB_ONE_ROW)
    return false;
  if (gave_up > 0)
    log_msg(LOG_WARN, "sweep: %ld refund(s) had no answer within PAYGW_REFUND_GIVE_UP_S; failed", gave_up);
  if (!*id || db_refund_read(db, id, &r) != DB_ONE_ROW)
    return false;
  refund_send_and_record(db, &r, settings.reversal_timeout_ms,
                         backoff_ms(r.attempts - 1, settings.reversal_backoff_ms, settings.reversal_backoff_max_ms));
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
  long due = -1, refund_due = -1;

  db_auth_next_due(db, abandoned_age_s(), &due); /* each -1 when nothing waits or on error */
  db_refund_next_due(db, &refund_due);
  if (refund_due >= 0 && (due < 0 || refund_due < due))
    due = refund_due;
  return due;
}

long sweep_pass(struct db *db, bool (*go_on)(struct db *db))
{
  struct timespec start;
  int sent = 0;

  clock_gettime(CLOCK_MONOTONIC, &start);
  settle_abandoned(db);
  housekeeping(db);
  while (go_on(db) && elapsed_ms(&start) < (double)settings.sweep_budget_ms && reverse_one(db))
    sent++;
  while (go_on(db) && elapsed_ms(&start) < (double)settings.sweep_budget_ms && refund_one(db))
    sent++;
  long due = next_due_ms(db);
  /* something due yet nothing sent: the database refused the claim (or the
   * row fell due just now); pause rather than spin */
  return due == 0 && sent == 0 ? STALLED_PAUSE_MS : due;
}
