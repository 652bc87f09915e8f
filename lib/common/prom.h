/* prom.h — the Prometheus text exposition format (version 0.0.4) for the
 * gateway's /metrics and the credit server's: histograms of lock-free
 * counters (C11 atomics, so they may live in memory shared by processes or
 * threads) and the text they are rendered to (# HELP, # TYPE, escaped label
 * values, cumulative buckets with _sum and _count). */
#ifndef PAYGW_PROM_H
#define PAYGW_PROM_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* The buckets' upper bounds in seconds, 1 ms to 10 s; one more bucket
 * (+Inf) counts what is above the last. */
#define PROM_BOUNDS 13
extern const double prom_bounds[PROM_BOUNDS];

/* One histogram.  All zeroes is an empty one, so a histogram in a file
 * made by ftruncate needs no initialising.  bucket[i] counts observations
 * in (bound[i-1], bound[i]] (not cumulative: one increment per
 * observation); the rendering adds them up.  The sum is kept in
 * microseconds, an integer an atomic add can carry. */
struct prom_hist {
  _Atomic uint64_t bucket[PROM_BOUNDS + 1];
  _Atomic uint64_t sum_us;
};

/* Counts one observation of `seconds` (negative counts as 0). */
void prom_hist_observe(struct prom_hist *h, double seconds);

/* Seconds since `since` (CLOCK_MONOTONIC), for an observation. */
struct timespec;
double prom_seconds_since(const struct timespec *since);

/* The text of one scrape, grown as needed.  A failed allocation marks it
 * failed (text NULL) and every later call does nothing. */
struct prom_text {
  char *text;
  size_t len, cap;
  bool failed;
};

void prom_printf(struct prom_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "# HELP name help" and "# TYPE name type" (counter, gauge, histogram). */
void prom_header(struct prom_text *t, const char *name, const char *type, const char *help);

/* Appends `key="value"` to the label list in dst (cap bytes, NUL-ended),
 * with a comma before it unless dst is empty; the value escaped as the
 * format says (backslash, double quote and newline).  False (dst cut back
 * to what it was) when it does not fit. */
bool prom_label(char *dst, size_t cap, const char *key, const char *value);

/* One sample: name{labels} value (no braces when labels is empty). */
void prom_sample(struct prom_text *t, const char *name, const char *labels, uint64_t value);
void prom_sample_double(struct prom_text *t, const char *name, const char *labels, double value);

/* A histogram's samples: name_bucket{labels,le="..."} cumulative, with
 * le="+Inf" equal to name_count, then name_sum (seconds) and name_count. */
void prom_histogram(struct prom_text *t, const char *name, const char *labels, const struct prom_hist *h);

/* Frees the text. */
void prom_text_free(struct prom_text *t);

#endif
