/* test_bench_hist.c — the benchmark's latency histogram (bench/hist.c):
 * exact below 1 ms, within 0.2 % above, quantiles by rank, safe when empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "bench/hist.h"

static struct hist *fresh(void)
{
  return calloc(1, sizeof(struct hist));
}

static void empty_is_zero(void **state)
{
  (void)state;
  struct hist *h = fresh();
  assert_int_equal(hist_quantile(h, 0.5), 0);
  assert_int_equal(hist_quantile(h, 0.99), 0);
  free(h);
}

static void exact_below_one_ms(void **state)
{
  (void)state;
  struct hist *h = fresh();
  for (uint64_t v = 1; v <= 1000; v++)
    hist_record(h, v);
  assert_int_equal(h->count, 1000);
  assert_int_equal(h->sum_us, 500500);
  assert_int_equal(h->max_us, 1000);
  assert_int_equal(hist_quantile(h, 0.50), 500);
  assert_int_equal(hist_quantile(h, 0.95), 950);
  assert_int_equal(hist_quantile(h, 0.99), 990);
  assert_int_equal(hist_quantile(h, 1.0), 1000);
  assert_int_equal(hist_quantile(h, 0.0), 1);
  free(h);
}

/* above 1 ms a quantile is its bucket's upper bound: never below the true
 * value and at most 0.2 % above it */
static void relative_error_above_one_ms(void **state)
{
  (void)state;
  static const uint64_t values[] = { 1024, 1500, 12345, 250000, 999999, 60000000, 3600000000ull };
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    struct hist *h = fresh();
    hist_record(h, values[i]);
    hist_record(h, values[i] * 4); /* a larger maximum, so the bound shows */
    uint64_t q = hist_quantile(h, 0.5);
    assert_true(q >= values[i]);
    assert_true((double)(q - values[i]) <= (double)values[i] * 0.002);
    free(h);
  }
}

static void quantile_never_exceeds_max(void **state)
{
  (void)state;
  struct hist *h = fresh();
  hist_record(h, 123457);
  assert_int_equal(hist_quantile(h, 0.99), 123457);
  free(h);
}

static void rank_picks_the_right_sample(void **state)
{
  (void)state;
  struct hist *h = fresh();
  for (int i = 0; i < 99; i++)
    hist_record(h, 100);
  hist_record(h, 50000); /* one slow sample in a hundred */
  assert_int_equal(hist_quantile(h, 0.99), 100);
  assert_true(hist_quantile(h, 0.995) >= 50000);
  free(h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(empty_is_zero),
    cmocka_unit_test(exact_below_one_ms),
    cmocka_unit_test(relative_error_above_one_ms),
    cmocka_unit_test(quantile_never_exceeds_max),
    cmocka_unit_test(rank_picks_the_right_sample),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
