/* service.h — the loop the gateway's background processes share
 * (paygw-sweeper, paygw-webhooks): at most one of each kind works per
 * database, the one holding a PostgreSQL advisory lock for as long as its
 * connection lives; another started beside it (a second gateway host)
 * stands by and tries the lock every second, and one whose
 * connection is lost stops working until it has taken the lock again.  The
 * holder runs a pass when a NOTIFY on its channel wakes it, when the pass
 * said so, and at least every every_s seconds.  SIGTERM, SIGINT and
 * multiwatch's SIGUSR1 end it after the work in hand. */
#ifndef PAYGW_SERVICE_H
#define PAYGW_SERVICE_H

#include <stdbool.h>

struct db;

struct service {
  const char *name;     /* for the log: "sweeper", "webhook sender" */
  const char *lock_key; /* the advisory lock's key (a bigint as text) */
  long every_s;         /* the longest sleep between passes */
  /* one pass while the lock is held; returns how long to sleep (ms) */
  long (*pass)(struct db *db);
};

/* Installs the handlers of the signals that end the loop (and ignores
 * SIGPIPE); first thing in main(), before anything may block. */
void service_install_signals(void);

/* True while a pass may go on: no stop asked, the lock still held. */
bool service_go_on(struct db *db);

/* Runs s until a stop is asked; db listens to its channel already.  Closes
 * db (which ends the session, and with it the lock). */
void service_run(struct db *db, const struct service *s);

#endif
