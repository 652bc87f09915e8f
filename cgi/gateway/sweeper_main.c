/* sweeper_main.c — paygw-sweeper: the gateway's background work in a
 * process of its own (scripts/stack runs one under multiwatch, which
 * restarts it), so no slow issuer or database ever holds a FastCGI worker.
 *
 * At most one sweeper works per database: it holds a PostgreSQL advisory
 * lock (SWEEPER_LOCK_KEY) for as long as its connection lives.  Another
 * one started beside it (a second gateway host) stands by and tries the lock
 * every PAYGW_SWEEP_EVERY seconds; a sweeper whose connection is lost stops
 * working until it has taken the lock again.  The holder runs a pass
 * (sweep.c) when a row falls due, when a worker NOTIFYs SWEEPER_CHANNEL,
 * and at least every PAYGW_SWEEP_EVERY seconds.  SIGTERM ends it after the
 * reversal in hand.  Configuration: environment variables, docs/config.md. */
#include "common/config.h"
#include "common/log.h"
#include "gateway/backoff.h"
#include "db/db.h"
#include "gateway/db/sweeper.h"
#include "gateway/settings.h"
#include "gateway/sweep.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* how long to wait before trying an unreachable database again */
#define RECONNECT_PAUSE_MS 1000

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

/* The lock lives with the connection it was taken on: a reconnect (new
 * generation) means another sweeper may hold it now. */
static bool holds_lock(struct db *db)
{
  return locked_generation != 0 && locked_generation == db_generation(db) && db_socket(db) >= 0;
}

static bool go_on(struct db *db)
{
  return !stopping && holds_lock(db);
}

static bool take_lock(struct db *db)
{
  bool got = false;

  if (db_sweeper_lock(db, SWEEPER_LOCK_KEY, &got) != DB_ONE_ROW)
    got = false;
  locked_generation = got ? db_generation(db) : 0;
  return got;
}

/* Sleeps up to ms, or until a notification arrives (or a signal). */
static void wait_for_work(struct db *db, long ms)
{
  if (stopping || ms <= 0 || db_notified(db))
    return;
  struct pollfd pfd = { .fd = db_socket(db), .events = POLLIN };
  poll(&pfd, 1, (int)ms); /* fd -1 (no connection): a plain sleep */
  db_notified(db);        /* consumes what woke us */
}

int main(void)
{
  bool standing_by = false;

  log_init("sweeper");
  install_signals();
  if (settings_load() != 0)
    return 1;
  struct db *db = db_open(config_str("PAYGW_DB_URI", "postgresql:///paygw"), "paygw-sweeper");
  if (!db) {
    log_msg(LOG_ERROR, "cannot initialise the sweeper");
    return 1;
  }
  db_listen(db, SWEEPER_CHANNEL);
  log_msg(LOG_INFO, "sweeper %d started", (int)getpid());
  while (!stopping) {
    if (!holds_lock(db)) {
      if (!db_ensure_connected(db)) {
        wait_for_work(db, RECONNECT_PAUSE_MS);
        continue;
      }
      if (!take_lock(db)) {
        if (!standing_by)
          log_msg(LOG_INFO, "sweeper %d: another sweeper holds the lock; trying again every %ld s", (int)getpid(),
                  settings.sweep_every_s);
        standing_by = true;
        wait_for_work(db, settings.sweep_every_s * 1000);
        continue;
      }
      log_msg(LOG_INFO, "sweeper %d holds the lock", (int)getpid());
      standing_by = false;
    }
    long due_ms = sweep_pass(db, go_on);
    wait_for_work(db, sweep_wait_ms(due_ms, settings.sweep_every_s));
  }
  log_msg(LOG_INFO, "sweeper %d stopping", (int)getpid());
  db_close(db); /* ends the session, and with it the lock */
  return 0;
}
