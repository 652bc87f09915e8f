/* webhooks_main.c — paygw-webhooks: the end of each payment POSTed to its
 * merchant's shop as a signed webhook (issue 12; docs/webhooks.md), from
 * the queue the database keeps (gateway.webhook_events, sql/0017), in a
 * process of its own: never on a request's path, and apart from the
 * sweeper, so a slow shop delays no reversal.  scripts/stack runs one under
 * multiwatch, which restarts it.
 *
 * At most one sender works per database (service.c: the advisory lock
 * WEBHOOKS_LOCK_KEY; another stands by and tries it every second).  The holder runs a pass when an event falls
 * due, when the enqueue trigger NOTIFYs WEBHOOKS_CHANNEL, and at least every
 * PAYGW_WEBHOOK_EVERY seconds.
 * SIGTERM ends it after the attempt in hand.  It opens the merchants'
 * secrets with the card key file (PAYGW_CARD_KEY_FILE). */
#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"
#include "gateway/backoff.h"
#include "gateway/pool_name.h"
#include "gateway/service.h"
#include "gateway/db/webhook.h"
#include "gateway/webhook_send.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STALLED_PAUSE_MS 1000

static double elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/* Attempts due events until none is due or the budget is spent; returns
 * how long to sleep. */
static long pass(struct db *db)
{
  struct timespec start;
  int sent = 0;
  long due = -1;

  clock_gettime(CLOCK_MONOTONIC, &start);
  while (service_go_on(db) && elapsed_ms(&start) < (double)webhook_settings.budget_ms && webhook_send_one(db))
    sent++;
  if (db_webhook_next_due(db, &due) < 0)
    due = -1;
  if (due == 0 && sent == 0)
    return STALLED_PAUSE_MS; /* due yet nothing claimed: the database refused; pause rather than spin */
  return sweep_wait_ms(due, webhook_settings.every_s);
}

static int load_keys(void)
{
  char err[300];
  const char *path = config_str("PAYGW_CARD_KEY_FILE", NULL);

  if (!path) {
    log_msg(LOG_ERROR, "PAYGW_CARD_KEY_FILE is not set: the merchants' webhook secrets cannot be opened");
    return -1;
  }
  if (cardkeys_load(path, err, sizeof err) != 0) {
    log_msg(LOG_ERROR, "card key file: %s", err);
    return -1;
  }
  return 0;
}

int main(void)
{
  log_init("webhooks");
  service_install_signals();
  webhook_settings_load();
  if (load_keys() != 0 || !webhook_send_init())
    return 1;
  struct db *db = db_open(config_str("PAYGW_DB_URI", "postgresql:///paygw"), pool_program_name("paygw-webhooks"));
  if (!db) {
    log_msg(LOG_ERROR, "cannot initialise the webhook sender");
    return 1;
  }
  db_listen(db, WEBHOOKS_CHANNEL);
  const struct service sender = {
    .name = "webhook sender", .lock_key = WEBHOOKS_LOCK_KEY, .every_s = webhook_settings.every_s, .pass = pass
  };
  service_run(db, &sender);
  webhook_send_cleanup();
  return 0;
}
