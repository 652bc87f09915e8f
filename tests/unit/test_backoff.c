/* test_backoff.c — unit tests for the sweeper's timing rules (backoff.c):
 * the back-off between reversal attempts doubles from its base up to its
 * cap and never overflows, a claimed reversal's lease covers its attempt
 * and back-off, and the sweeper's sleep is bounded both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/backoff.h"

#include <limits.h>

static void backoff_doubles_from_the_base(void **state)
{
  (void)state;
  assert_int_equal(backoff_ms(1, 1000, 60000), 1000); /* after the 0400 */
  assert_int_equal(backoff_ms(2, 1000, 60000), 2000); /* after the first 0401 */
  assert_int_equal(backoff_ms(3, 1000, 60000), 4000);
  assert_int_equal(backoff_ms(6, 1000, 60000), 32000);
  assert_int_equal(backoff_ms(4, 250, 60000), 2000);
}

static void backoff_stops_at_the_cap(void **state)
{
  (void)state;
  assert_int_equal(backoff_ms(7, 1000, 60000), 60000); /* 64 s capped */
  assert_int_equal(backoff_ms(8, 1000, 60000), 60000);
  assert_int_equal(backoff_ms(7, 1000, 45000), 45000);
  /* a cap that is not a power-of-two multiple of the base is reached exactly */
  assert_int_equal(backoff_ms(3, 1000, 3000), 3000);
  assert_int_equal(backoff_ms(2, 1000, 3000), 2000);
}

static void backoff_never_overflows(void **state)
{
  (void)state;
  assert_int_equal(backoff_ms(1000, 1000, 60000), 60000);
  assert_int_equal(backoff_ms(INT_MAX, 1000, 86400000), 86400000);
  assert_int_equal(backoff_ms(200, LONG_MAX / 2 + 1, LONG_MAX), LONG_MAX);
  assert_true(backoff_ms(63, 1, LONG_MAX) > 0);
}

static void backoff_odd_arguments(void **state)
{
  (void)state;
  assert_int_equal(backoff_ms(0, 1000, 60000), 1000); /* below 1 counts as 1 */
  assert_int_equal(backoff_ms(-5, 1000, 60000), 1000);
  assert_int_equal(backoff_ms(1, 90000, 60000), 60000); /* a base above the cap gives the cap */
  assert_int_equal(backoff_ms(1, 0, 60000), 1);         /* never 0: no tight loop */
  assert_int_equal(backoff_ms(3, 1000, 0), 1);
}

static void leases_cover_each_attempt_and_its_back_off(void **state)
{
  long l[64];
  (void)state;
  /* 7 s for the attempt, back-off 1 s doubling to 60 s: the lease grows
   * with the back-off and stops at the attempt whose back-off is capped */
  assert_int_equal(backoff_leases(l, 64, 7000, 1000, 60000), 7);
  assert_int_equal(l[0], 8000);
  assert_int_equal(l[1], 9000);
  assert_int_equal(l[5], 39000);
  assert_int_equal(l[6], 67000);
  for (int n = 1; n <= 7; n++)
    assert_int_equal(l[n - 1], 7000 + backoff_ms(n, 1000, 60000));
  /* a base at or above the cap: one lease for every attempt */
  assert_int_equal(backoff_leases(l, 64, 7000, 90000, 60000), 1);
  assert_int_equal(l[0], 67000);
}

static void leases_are_bounded(void **state)
{
  long l[4];
  (void)state;
  assert_int_equal(backoff_leases(l, 4, 1000, 1, LONG_MAX), 4); /* at most max entries */
  assert_int_equal(l[3], 1008);
  assert_int_equal(backoff_leases(l, 4, LONG_MAX - 10, 1000, 60000), 4);
  assert_int_equal(l[0], LONG_MAX); /* never overflows */
}

static void sweep_waits_until_due_but_not_longer_than_its_period(void **state)
{
  (void)state;
  assert_int_equal(sweep_wait_ms(-1, 10), 10000);    /* nothing open: the period */
  assert_int_equal(sweep_wait_ms(0, 10), 0);         /* due now: no sleep */
  assert_int_equal(sweep_wait_ms(2500, 10), 2500);   /* a back-off ends first */
  assert_int_equal(sweep_wait_ms(45000, 10), 10000); /* the period ends first */
  assert_int_equal(sweep_wait_ms(10000, 10), 10000);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(backoff_doubles_from_the_base),
    cmocka_unit_test(backoff_stops_at_the_cap),
    cmocka_unit_test(backoff_never_overflows),
    cmocka_unit_test(backoff_odd_arguments),
    cmocka_unit_test(leases_cover_each_attempt_and_its_back_off),
    cmocka_unit_test(leases_are_bounded),
    cmocka_unit_test(sweep_waits_until_due_but_not_longer_than_its_period),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
