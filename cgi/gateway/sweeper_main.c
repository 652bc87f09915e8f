/* sweeper_main.c — paygw-sweeper: the gateway's background work in a
 * process of its own (scripts/stack runs one under multiwatch, which
 * restarts it), so no slow issuer or database ever holds a FastCGI worker.
 *
 * At most one sweeper works per database (service.c: the advisory lock
 * SWEEPER_LOCK_KEY; another stands by and tries it every second).  The holder runs a pass (sweep.c) when a row falls due, when a
 * worker NOTIFYs SWEEPER_CHANNEL, and at least every PAYGW_SWEEP_EVERY
 * seconds.  SIGTERM ends it after the reversal in hand.  Configuration:
 * environment variables, docs/config.md. */
#include "common/config.h"
#include "common/log.h"
#include "gateway/backoff.h"
#include "gateway/pool_name.h"
#include "gateway/service.h"
#include "gateway/metrics.h"
#include "gateway/settings.h"
#include "gateway/sweep.h"
#include "db/db.h"

static long pass(struct db *db)
{
  return sweep_wait_ms(sweep_pass(db, service_go_on), settings.sweep_every_s);
}

int main(void)
{
  log_init("sweeper");
  service_install_signals();
  if (settings_load() != 0)
    return 1;
  metrics_open(); /* its payments, reversals and database errors count with the workers' */
  db_error_hook = metrics_db_error;
  struct db *db = db_open(config_str("PAYGW_DB_URI", "postgresql:///paygw"), pool_program_name("paygw-sweeper"));
  if (!db) {
    log_msg(LOG_ERROR, "cannot initialise the sweeper");
    return 1;
  }
  db_listen(db, SWEEPER_CHANNEL);
  const struct service sweeper = {
    .name = "sweeper", .lock_key = SWEEPER_LOCK_KEY, .every_s = settings.sweep_every_s, .pass = pass
  };
  service_run(db, &sweeper); /* closing the session ends the lock */
  return 0;
}
