/* main.c — history.fcgi: one worker of the shopper's transaction history
 * as HTML ([0113], [0120]; docs/history.md).  Loads its templates, opens
 * its database connection (role paygw_history: it reads payments, never
 * writes them), then serves FastCGI requests in lib/web's worker loop
 * (lib/web/worker.c) until SIGTERM/SIGUSR1, finishing the request in hand.
 * Configuration: environment variables, docs/config.md. */
#include "history/endpoints.h"
#include "history/request.h"
#include "history/router.h"
#include "history/settings.h"
#include "common/config.h"
#include "common/log.h"
#include "db/db.h"
#include "tmpl/tmpl.h"
#include "web/worker.h"

#include <signal.h>
#include <stdio.h>

/* make gives the installed folder, $(pkgdatadir)/templates/history (cgi/history/local.mk) */
#ifndef HISTORY_TEMPLATE_DIR
#define HISTORY_TEMPLATE_DIR "cgi/history/templates"
#endif

int main(int argc, char **argv)
{
  char err[256];

  (void)argv;
  log_init("history");
  history_settings_load();
  if (argc != 1) {
    fprintf(stderr, "usage: history.fcgi (a FastCGI worker: run by spawn-fcgi, docs/history.md)\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  struct tmpl_set *templates =
      tmpl_load_dir(config_str("PAYGW_HISTORY_TEMPLATE_DIR", HISTORY_TEMPLATE_DIR), err, sizeof err);
  if (!templates) {
    log_msg(LOG_ERROR, "cannot load the templates: %s", err);
    return 1;
  }
  if (ep_sign_in_prepare() != 0) {
    log_msg(LOG_ERROR, "cannot make the dummy password hash");
    return 1;
  }
  struct db *db = db_open(config_str("PAYGW_HISTORY_DB_URI", "postgresql:///paygw"), "history.fcgi");
  if (!db) {
    log_msg(LOG_ERROR, "cannot initialise the history worker");
    return 1;
  }
  struct history_request rq = { .db = db, .templates = templates };
  struct web_worker worker = { .name = "history", .rq = &rq.web, .handle = router_dispatch, .reset = request_reset };
  int rc = web_worker_run(&worker);
  db_close(db);
  tmpl_free(templates);
  return rc;
}
