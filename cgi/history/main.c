/* main.c — history.fcgi: one worker of the shopper's transaction history
 * as HTML ([0113], [0120]; docs/history.md).  Loads its templates, opens
 * its database connection (role paygw_history: it reads payments, never
 * writes them), then serves FastCGI requests one at a time on the socket
 * spawn-fcgi gave it (fd 0) until SIGTERM/SIGUSR1, finishing the request
 * in hand.  Configuration: environment variables, docs/config.md. */
#include "history/endpoints.h"
#include "history/request.h"
#include "history/router.h"
#include "history/settings.h"
#include "common/config.h"
#include "common/log.h"
#include "common/utf8.h"
#include "db/db.h"
#include "tmpl/tmpl.h"

#include <fcgiapp.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef HISTORY_TEMPLATE_DIR
#define HISTORY_TEMPLATE_DIR "cgi/history/templates"
#endif

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
  (void)sig;
  stopping = 1;
  FCGX_ShutdownPending();
}

static double elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/* One JSON line per request: no body, no cookie, no user ID, no query
 * (its dates are the user's). */
static void log_request(const struct history_request *rq)
{
  char path[sizeof rq->path];

  snprintf(path, sizeof path, "%s", rq->path);
  utf8_scrub(path);
  json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:f}", "request_id", rq->request_id, "method", rq->method, "path", path,
                        "status", rq->status, "duration_ms", elapsed_ms(&rq->started));
  if (rq->problem)
    json_object_set_new(f, "problem", json_string(rq->problem));
  log_event(rq->status >= 500 ? LOG_ERROR : LOG_INFO, f);
}

int main(int argc, char **argv)
{
  FCGX_Request fcgx;
  struct history_request rq;
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
  if (!db || FCGX_Init() != 0 || FCGX_InitRequest(&fcgx, 0, 0) != 0) {
    log_msg(LOG_ERROR, "cannot initialise the history worker");
    return 1;
  }
  /* after FCGX_Init, whose handlers only flag the next accept */
  struct sigaction stop = { .sa_handler = on_stop };
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGUSR1, &stop, NULL);
  memset(&rq, 0, sizeof rq);
  rq.fcgx = &fcgx;
  rq.db = db;
  rq.templates = templates;
  log_msg(LOG_INFO, "history worker %d ready", (int)getpid());
  for (;;) {
    if (stopping || FCGX_Accept_r(&fcgx) < 0)
      break;
    if (request_read(&rq, (size_t)history_settings.max_body) == 0)
      router_dispatch(&rq);
    log_request(&rq);
    FCGX_Finish_r(&fcgx);
    request_reset(&rq);
  }
  log_msg(LOG_INFO, "history worker %d stopping", (int)getpid());
  db_close(db);
  tmpl_free(templates);
  return 0;
}
