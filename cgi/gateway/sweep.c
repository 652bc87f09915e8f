/* sweep.c — see sweep.h. */
#include "gateway/sweep.h"
#include "gateway/db/queries.h"
#include "gateway/payment.h"
#include "gateway/settings.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SWEEP_BATCH 20

static time_t last_sweep;

struct unresolved {
  struct payment pay[SWEEP_BATCH];
  int attempts[SWEEP_BATCH];
  int n;
};

static void load_row(PGresult *res, int i, struct payment *p)
{
  memset(p, 0, sizeof *p);
  snprintf(p->ref.id, sizeof p->ref.id, "%s", db_get(res, i, "transaction_id"));
  snprintf(p->ref.user_id, sizeof p->ref.user_id, "%s", db_get(res, i, "user_id"));
  snprintf(p->ref.device_id, sizeof p->ref.device_id, "%s", db_get(res, i, "device_id"));
  snprintf(p->ref.number, sizeof p->ref.number, "%s", db_get(res, i, "number"));
  payment_prepare(p, db_get(res, i, "currency"), db_get(res, i, "merchant_code"),
                  strtoll(db_get(res, i, "total"), NULL, 10));
  p->auth.stan = atoi(db_get(res, i, "stan"));
  snprintf(p->auth.terminal_field, sizeof p->auth.terminal_field, "%s", db_get(res, i, "terminal_code"));
  snprintf(p->auth.transmission_time, sizeof p->auth.transmission_time, "%s", db_get(res, i, "transmission_time"));
}

/* Marks what was left "sent" as failed, to be reversed. */
static enum db_status collect(struct db *db, void *ctx)
{
  struct unresolved *u = ctx;
  char age[24];
  PGresult *res;

  snprintf(age, sizeof age, "%ld", settings.issuer_timeout_ms / 1000 + 5);
  const char *params[] = { age };
  enum db_status st = db_exec(db, &q_auth_unresolved, params, &res);
  u->n = 0;
  if (st < 0)
    return st;
  for (int i = 0; i < PQntuples(res) && u->n < SWEEP_BATCH; i++) {
    struct payment *p = &u->pay[u->n];
    load_row(res, i, p);
    u->attempts[u->n] = atoi(db_get(res, i, "reversal_attempts"));
    if (strcmp(db_get(res, i, "status"), "sent") == 0) {
      const char *auth[] = { p->ref.id };
      const char *fin[] = { p->ref.id, "failed", "authorizing", "91", "no answer was recorded; the authorization was reversed", NULL };
      if ((st = db_run(db, &q_auth_reversal_pending, auth)) < 0 || (st = db_run(db, &q_txn_finish, fin)) < 0)
        break;
      if (st == DB_ONE_ROW && (st = txn_notify_handset(db, &p->ref, "failed", NULL, "the payment could not be completed")) < 0)
        break;
    }
    u->n++;
  }
  PQclear(res);
  return st < 0 ? st : DB_ROWS;
}

static void housekeeping(struct db *db)
{
  db_run(db, &q_txn_expire_overdue, NULL);
  db_run(db, &q_idem_forget, NULL);
}

long sweep_due_in(time_t now)
{
  long left = settings.sweep_every_s - (long)(now - last_sweep);
  return left < 1 ? 1 : left;
}

int sweep_if_due(struct db *db, time_t now, int force)
{
  struct unresolved u;

  if (!force && now - last_sweep < settings.sweep_every_s)
    return 0;
  last_sweep = now;
  housekeeping(db);
  if (db_run_transaction(db, "sweep", collect, &u) < 0)
    return 0;
  for (int i = 0; i < u.n; i++) {
    log_msg(LOG_WARN, "sweep: reversing the unresolved authorization of transaction %s", u.pay[i].ref.id);
    payment_reverse(db, &u.pay[i], 1, u.attempts[i] > 0);
  }
  return u.n;
}
