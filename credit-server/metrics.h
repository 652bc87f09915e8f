/* metrics.h — the credit server's metrics (docs/metrics.md): counters its
 * connection threads bump with C11 atomics, served in the Prometheus text
 * format by libmicrohttpd on a loopback port of its own
 * (PAYGW_CREDIT_METRICS_ADDR, host:port; off when unset). */
#ifndef PAYGW_CREDIT_METRICS_H
#define PAYGW_CREDIT_METRICS_H

#include "common/prom.h"

/* Starts serving GET /metrics on PAYGW_CREDIT_METRICS_ADDR when it is
 * set.  0 (also when unset), or -1 (logged) when it cannot listen there:
 * the credit server then serves ISO 8583 without metrics. */
int credit_metrics_start(void);
void credit_metrics_stop(void);

/* An answer built (handler_answer): the request's MTI and field 39. */
void credit_metrics_answer(const char *mti, const char *response_code);

/* A 0100 met an earlier one under its key (the same STAN, terminal, time). */
void credit_metrics_duplicate(void);

/* A TLS handshake that did not complete: "refused", "timeout" or
 * "closed_early" (closed before any handshake, as a port probe does). */
void credit_metrics_handshake_failed(const char *reason);

/* The time a message took from its frame read to its answer built. */
void credit_metrics_processing(const char *mti, double seconds);

/* Every series into t (exposed for the unit tests). */
void credit_metrics_render(struct prom_text *t);

#endif
