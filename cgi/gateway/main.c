/* main.c — paygw.fcgi: one gateway worker.  Opens its database connection,
 * then serves FastCGI requests one at a time on the socket it inherited from
 * spawn-fcgi (fd 0) until SIGTERM, finishing the request in hand.
 * Configuration: environment variables, see docs/config.md. */
#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"
#include "common/utf8.h"
#include "db/db.h"
#include "gateway/metrics.h"
#include "gateway/pool_name.h"
#include "gateway/request.h"
#include "gateway/router.h"
#include "gateway/settings.h"

#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_sigterm(int sig)
{
  (void)sig;
  stopping = 1;
  FCGX_ShutdownPending(); /* libfcgi retries an interrupted accept() unless told */
}

/* No SA_RESTART: a blocked accept() returns EINTR so the loop can end. */
static void install_signals(void)
{
  struct sigaction sa;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigterm;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

static double elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/* One JSON line per request; the path holds no secret (transaction numbers
 * are not credentials), and nothing from the body is logged. */
static void log_request(const struct request *rq)
{
  char path[sizeof rq->path];

  snprintf(path, sizeof path, "%s", rq->path);
  utf8_scrub(path); /* nginx decodes %FF into a raw byte */
  json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:f}", "request_id", rq->request_id, "method", rq->method, "path", path,
                        "status", rq->status, "duration_ms", elapsed_ms(&rq->started));
  if (rq->problem)
    json_object_set_new(f, "problem", json_string(rq->problem));
  if (rq->terminal.terminal_id)
    json_object_set_new(f, "terminal", json_string(rq->terminal.terminal_code));
  if (rq->device.device_id)
    json_object_set_new(f, "device", json_string(rq->device.device_code));
  log_event(rq->status >= 500 ? LOG_ERROR : LOG_INFO, f);
}

static int load_keys(void)
{
  const char *path = config_str("PAYGW_CARD_KEY_FILE", NULL);
  char err[256];

  if (!path)
    return 0; /* no card key: the health and enrolment-free endpoints still work */
  if (cardkeys_load(path, err, sizeof err) != 0) {
    log_msg(LOG_ERROR, "%s", err);
    return -1;
  }
  return 0;
}

int main(void)
{
  FCGX_Request fcgx;
  struct request rq;
  size_t max_body = (size_t)config_long("PAYGW_MAX_BODY", 16384, 256, 1048576);

  log_init("gateway");
  install_signals();
  if (load_keys() != 0 || settings_load() != 0)
    return 1;
  metrics_open(); /* counting nowhere when it fails (logged) */
  db_error_hook = metrics_db_error;
  struct db *db = db_open(config_str("PAYGW_DB_URI", "postgresql:///paygw"), pool_program_name("paygw.fcgi"));
  if (!db || FCGX_Init() != 0 || FCGX_InitRequest(&fcgx, 0, 0) != 0) {
    log_msg(LOG_ERROR, "cannot initialise the worker");
    return 1;
  }
  /* multiwatch stops its workers with SIGUSR1.  libfcgi's own handler
   * (installed by FCGX_Init, hence ours after it) only flags the next
   * FCGX_Accept_r: a worker busy with a request when it came would wait in
   * epoll for a connection that never comes, and be left behind. */
  struct sigaction stop = { .sa_handler = on_sigterm };
  sigaction(SIGUSR1, &stop, NULL);
  memset(&rq, 0, sizeof rq);
  rq.fcgx = &fcgx;
  rq.db = db;
  log_msg(LOG_INFO, "worker %d ready", (int)getpid());
  /* no background work here: reversals, recovery and expiry are
   * paygw-sweeper's, so a slow issuer never holds a worker between requests */
  for (;;) {
    if (stopping || FCGX_Accept_r(&fcgx) < 0)
      break;
    if (request_read(&rq, max_body) == 0)
      router_dispatch(&rq);
    log_request(&rq);
    metrics_request_done(&rq);
    FCGX_Finish_r(&fcgx);
    request_reset(&rq);
  }
  log_msg(LOG_INFO, "worker %d stopping", (int)getpid());
  db_close(db);
  return 0;
}
