/* worker.c — the accept loop (worker.h).  The log line has no body, no
 * cookie, no user ID and no query (the history's dates are the user's). */
#include "web/worker.h"
#include "common/log.h"
#include "common/utf8.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
  (void)sig;
  stopping = 1;
  FCGX_ShutdownPending();
}

double web_elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static void log_request(const struct web_request *w)
{
  char path[sizeof w->path];

  snprintf(path, sizeof path, "%s", w->path);
  utf8_scrub(path);
  json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:f}", "request_id", w->request_id, "method", w->method, "path", path,
                        "status", w->status, "duration_ms", web_elapsed_ms(&w->started));
  if (w->problem)
    json_object_set_new(f, "problem", json_string(w->problem));
  log_event(w->status >= 500 ? LOG_ERROR : LOG_INFO, f);
}

int web_worker_run(const struct web_worker *ww)
{
  FCGX_Request fcgx;
  struct web_request *w = ww->rq;

  if (FCGX_Init() != 0 || FCGX_InitRequest(&fcgx, 0, 0) != 0) {
    log_msg(LOG_ERROR, "cannot initialise the %s worker", ww->name);
    return 1;
  }
  /* after FCGX_Init, whose handlers only flag the next accept */
  struct sigaction stop = { .sa_handler = on_stop };
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGUSR1, &stop, NULL);
  w->fcgx = &fcgx;
  log_msg(LOG_INFO, "%s worker %d ready", ww->name, (int)getpid());
  while (!stopping && FCGX_Accept_r(&fcgx) >= 0) {
    web_request_start(w);
    ww->handle(w);
    log_request(w);
    FCGX_Finish_r(&fcgx);
    web_request_reset(w);
    ww->reset(w);
  }
  log_msg(LOG_INFO, "%s worker %d stopping", ww->name, (int)getpid());
  w->fcgx = NULL; /* fcgx dies with this frame */
  return 0;
}
