/* hist.h — a latency histogram in microseconds with log-linear buckets
 * (exact below 1 ms, then 512 sub-buckets per power of two: under 0.2 %
 * error), fixed size and safe to record into from many threads at once. */
#ifndef PAYGW_BENCH_HIST_H
#define PAYGW_BENCH_HIST_H

#include <stdint.h>

#define HIST_LINEAR 1024 /* exact buckets 0..1023 µs */
#define HIST_SUB 512     /* sub-buckets per power of two above */
#define HIST_POWERS 28   /* up to 2^38 µs, ~3 days */
#define HIST_BUCKETS (HIST_LINEAR + HIST_SUB * HIST_POWERS)

struct hist {
  uint64_t bucket[HIST_BUCKETS]; /* updated with atomic adds */
  uint64_t count, sum_us, max_us;
};

/* Records one value (µs); thread-safe. */
void hist_record(struct hist *h, uint64_t us);

/* The value at quantile q (0..1) in µs, the bucket's upper bound; 0 when
 * the histogram is empty.  Call after the recording threads have ended. */
uint64_t hist_quantile(const struct hist *h, double q);

#endif
