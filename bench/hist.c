/* hist.c — the benchmark's latency histogram (see hist.h).  Buckets rather
 * than stored samples keep the tool's own memory flat over long runs. */
#include "bench/hist.h"

#include <stdbool.h>

static unsigned bucket_of(uint64_t us)
{
  if (us < HIST_LINEAR)
    return (unsigned)us;
  unsigned msb = 63u - (unsigned)__builtin_clzll(us); /* >= 10 */
  unsigned power = msb - 10;
  if (power >= HIST_POWERS)
    return HIST_BUCKETS - 1;
  /* the 9 bits below the top bit pick the sub-bucket */
  unsigned sub = (unsigned)((us >> (msb - 9)) & (HIST_SUB - 1));
  return HIST_LINEAR + power * HIST_SUB + sub;
}

static uint64_t upper_bound_of(unsigned b)
{
  if (b < HIST_LINEAR)
    return b;
  unsigned power = (b - HIST_LINEAR) / HIST_SUB, sub = (b - HIST_LINEAR) % HIST_SUB;
  unsigned msb = power + 10;
  uint64_t low = ((uint64_t)1 << msb) | ((uint64_t)sub << (msb - 9));
  return low + ((uint64_t)1 << (msb - 9)) - 1;
}

void hist_record(struct hist *h, uint64_t us)
{
  __atomic_fetch_add(&h->bucket[bucket_of(us)], 1, __ATOMIC_RELAXED);
  __atomic_fetch_add(&h->count, 1, __ATOMIC_RELAXED);
  __atomic_fetch_add(&h->sum_us, us, __ATOMIC_RELAXED);
  uint64_t max = __atomic_load_n(&h->max_us, __ATOMIC_RELAXED);
  while (us > max && !__atomic_compare_exchange_n(&h->max_us, &max, us, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;
}

uint64_t hist_quantile(const struct hist *h, double q)
{
  if (h->count == 0)
    return 0;
  /* the smallest value with at least ceil(q * count) values at or below it */
  uint64_t rank = (uint64_t)(q * (double)h->count);
  if ((double)rank < q * (double)h->count)
    rank++;
  if (rank == 0)
    rank = 1;
  uint64_t seen = 0;
  for (unsigned b = 0; b < HIST_BUCKETS; b++) {
    seen += h->bucket[b];
    if (seen >= rank) {
      uint64_t v = upper_bound_of(b);
      return v < h->max_us ? v : h->max_us;
    }
  }
  return h->max_us;
}
