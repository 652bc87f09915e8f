/* metrics.h — the gateway's counters for GET /metrics (docs/metrics.md),
 * summed over every worker and the sweeper: each process maps one shared
 * file (PAYGW_METRICS_FILE) and counts into it with C11 atomics, at fixed
 * places (a route's row, a status's column, a histogram's bucket), so the
 * request path takes no lock.  The gauges (what is pending) are read from
 * the database at the scrape (db/metrics_gauges.c). */
#ifndef PAYGW_METRICS_H
#define PAYGW_METRICS_H

#include "common/prom.h"
#include "gateway/request.h"

#include <stdbool.h>
#include <stdint.h>

/* The file's layout version: bump it whenever struct metrics_table (in
 * metrics.c) changes, so a file an older build made is made again. */
#define METRICS_LAYOUT_VERSION 1

/* Maps the file PAYGW_METRICS_FILE names, making it (mode 0660) when it is
 * missing, not this build's layout or not for this route table; without
 * the variable, a table of this process's own (its counts alone).  Called
 * once when a process starts.  0, or -1 (logged): nothing is counted then. */
int metrics_open(void);

/* The same for a path, exposed for the unit tests (NULL: private). */
int metrics_open_path(const char *path);

/* Unmaps the table (the unit tests). */
void metrics_close(void);

/* One request answered: its route (or none), method, status and time. */
void metrics_request_done(const struct request *rq);

/* A payment reached its end in this process: `outcome` is completed,
 * declined, failed, canceled or expired (other words, NULL: nothing).
 * n of them at once (the sweeper's expiry). */
void metrics_payment(const char *outcome);
void metrics_payments(const char *outcome, long n);

/* An ISO 8583 message went to the credit server (its MTI); its answer came
 * (or not: a time-out, a closed link).  The time between is the round
 * trip.  One message at a time per process (issuer_link.c). */
void metrics_issuer_sent(const char *mti);
void metrics_issuer_done(bool answered);

/* The database hook (lib/db's db_error_hook): one error of a kind. */
void metrics_db_error(const char *kind);

/* What the scrape reads from the database (db/metrics_gauges.c). */
struct metrics_gauges {
  int64_t authorizations_pending; /* 0100s sent, no answer recorded */
  int64_t reversals_pending;      /* authorizations whose reversal is due or retried */
  int64_t refunds_pending;        /* refunds and voids not yet answered */
  int64_t webhooks_pending;       /* webhook events not yet delivered or given up */
  int64_t webhook_oldest_ms;      /* the oldest pending one's age (0: none) */
};

/* Renders every series into t; gauges NULL when the database did not
 * answer (they are left out and paygw_metrics_database_up is 0). */
void metrics_render(struct prom_text *t, const struct metrics_gauges *gauges);

/* Checks the Authorization header against PAYGW_METRICS_TOKEN: true when
 * no token is configured or "Bearer <token>" matches (constant time). */
bool metrics_token_ok(const char *authorization);

#endif
