/* service.c — see service.h. */
#include "gateway/service.h"
#include "gateway/db/sweeper.h"
#include "common/log.h"
#include "db/db.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* how long to wait before trying an unreachable database again */
#define RECONNECT_PAUSE_MS 1000
/* how often one standing by asks for the lock: the holder's host may be
 * gone (docs/ha.md, "Two gateway pools"), and a hand-over should cost
 * about a second, not every_s (up to an hour); one pg_try_advisory_lock a
 * second is nothing to the database */
#define STANDBY_PAUSE_MS 1000

static volatile sig_atomic_t stopping;
static unsigned locked_generation; /* db_generation() the lock was taken on; 0: not held */

static void on_stop(int sig)
{
  (void)sig;
  stopping = 1;
}

/* No SA_RESTART: poll() returns EINTR so the loop can end. */
void service_install_signals(void)
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
 * generation) means another process may hold it now. */
static bool holds_lock(struct db *db)
{
  return locked_generation != 0 && locked_generation == db_generation(db) && db_socket(db) >= 0;
}

bool service_go_on(struct db *db)
{
  return !stopping && holds_lock(db);
}

static bool take_lock(struct db *db, const char *key)
{
  bool got = false;

  if (db_sweeper_lock(db, key, &got) != DB_ONE_ROW)
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

void service_run(struct db *db, const struct service *s)
{
  bool standing_by = false;

  log_msg(LOG_INFO, "%s %d started", s->name, (int)getpid());
  while (!stopping) {
    if (!holds_lock(db)) {
      if (!db_ensure_connected(db)) {
        wait_for_work(db, RECONNECT_PAUSE_MS);
        continue;
      }
      if (!take_lock(db, s->lock_key)) {
        if (!standing_by)
          log_msg(LOG_INFO, "%s %d: another %s holds the lock; trying again every %d ms", s->name, (int)getpid(),
                  s->name, STANDBY_PAUSE_MS);
        standing_by = true;
        wait_for_work(db, STANDBY_PAUSE_MS);
        continue;
      }
      log_msg(LOG_INFO, "%s %d holds the lock", s->name, (int)getpid());
      standing_by = false;
    }
    wait_for_work(db, s->pass(db));
  }
  log_msg(LOG_INFO, "%s %d stopping", s->name, (int)getpid());
  db_close(db);
}
