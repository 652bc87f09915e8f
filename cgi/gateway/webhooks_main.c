/* webhooks_main.c — paygw-webhooks: the end of each payment POSTed to its
 * merchant's shop as a signed webhook (issue 12; docs/webhooks.md), from
 * the queue the database keeps (gateway.webhook_events, sql/0017), in a
 * process of its own: never on a request's path, and apart from the
 * sweeper, so a slow shop delays no reversal.  scripts/stack runs one under
 * multiwatch, which restarts it.
 *
 * At most one sender works per database: it holds a PostgreSQL advisory
 * lock (WEBHOOKS_LOCK_KEY) for as long as its connection lives; another
 * one stands by and tries every PAYGW_WEBHOOK_EVERY seconds.  The holder
 * runs a pass when an event falls due, when the enqueue trigger NOTIFYs
 * WEBHOOKS_CHANNEL, and at least every PAYGW_WEBHOOK_EVERY seconds.
 * SIGTERM ends it after the attempt in hand.  It opens the merchants'
 * secrets with the card key file (PAYGW_CARD_KEY_FILE). */
#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"
#include "gateway/backoff.h"
#include "gateway/db/sweeper.h"
#include "gateway/db/webhook.h"
#include "gateway/webhook_send.h"
#include "db/db.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECONNECT_PAUSE_MS 1000
#define STALLED_PAUSE_MS 1000

static volatile sig_atomic_t stopping;
static unsigned locked_generation; /* db_generation() the lock was taken on; 0: not held */

static void on_stop(int sig)
{
  (void)sig;
  stopping = 1;
}

/* No SA_RESTART: poll() returns EINTR so the loop can end. */
static void install_signals(void)
{
  struct sigaction sa;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL); /* multiwatch's default "stop gracefully" */
  signal(SIGPIPE, SIG_IGN);
}

static bool holds_lock(struct db *db)
{
  return locked_generation != 0 && locked_generation == db_generation(db) && db_socket(db) >= 0;
}

static bool take_lock(struct db *db)
{
  bool got = false;

  if (db_sweeper_lock(db, WEBHOOKS_LOCK_KEY, &got) != DB_ONE_ROW)
    got = false;
  locked_generation = got ? db_generation(db) : 0;
  return got;
}

static void wait_for_work(struct db *db, long ms)
{
  if (stopping || ms <= 0 || db_notified(db))
    return;
  struct pollfd pfd = { .fd = db_socket(db), .events = POLLIN };
  poll(&pfd, 1, (int)ms); /* fd -1 (no connection): a plain sleep */
  db_notified(db);
}

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
  while (!stopping && holds_lock(db) && elapsed_ms(&start) < (double)webhook_settings.budget_ms && webhook_send_one(db))
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
  bool standing_by = false;

  log_init("webhooks");
  install_signals();
  webhook_settings_load();
  if (load_keys() != 0 || !webhook_send_init())
    return 1;
  struct db *db = db_open(config_str("PAYGW_DB_URI", "postgresql:///paygw"), "paygw-webhooks");
  if (!db) {
    log_msg(LOG_ERROR, "cannot initialise the webhook sender");
    return 1;
  }
  db_listen(db, WEBHOOKS_CHANNEL);
  log_msg(LOG_INFO, "webhook sender %d started", (int)getpid());
  while (!stopping) {
    if (!holds_lock(db)) {
      if (!db_ensure_connected(db)) {
        wait_for_work(db, RECONNECT_PAUSE_MS);
        continue;
      }
      if (!take_lock(db)) {
        if (!standing_by)
          log_msg(LOG_INFO, "webhook sender %d: another sender holds the lock; trying again every %ld s", (int)getpid(),
                  webhook_settings.every_s);
        standing_by = true;
        wait_for_work(db, webhook_settings.every_s * 1000);
        continue;
      }
      log_msg(LOG_INFO, "webhook sender %d holds the lock", (int)getpid());
      standing_by = false;
    }
    wait_for_work(db, pass(db));
  }
  log_msg(LOG_INFO, "webhook sender %d stopping", (int)getpid());
  db_close(db);
  webhook_send_cleanup();
  return 0;
}
