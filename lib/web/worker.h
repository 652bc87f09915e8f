/* worker.h — the FastCGI accept loop of a web page program (shop.fcgi,
 * history.fcgi): serves requests one at a time on the socket spawn-fcgi
 * gave it (fd 0) until SIGTERM, SIGINT or SIGUSR1, finishing the request in
 * hand, and writes one JSON log line per request. */
#ifndef PAYGW_WEB_WORKER_H
#define PAYGW_WEB_WORKER_H

#include "web/request.h"

struct web_worker {
  const char *name;       /* "shop": in the worker's own log lines */
  struct web_request *rq; /* the first member of the program's request */
  /* Reads the rest of the request and answers it (the program's router). */
  void (*handle)(struct web_request *rq);
  /* Clears the program's own fields between requests (web_request_reset
   * has cleared rq itself); keeps what lives as long as the worker. */
  void (*reset)(struct web_request *rq);
};

/* Runs the loop until told to stop: 0, or 1 when FastCGI could not be
 * set up (logged). */
int web_worker_run(const struct web_worker *ww);

/* Milliseconds from since to now (CLOCK_MONOTONIC). */
double web_elapsed_ms(const struct timespec *since);

#endif
