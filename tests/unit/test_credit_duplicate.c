/* test_credit_duplicate.c — credit-server/duplicate.c: field 7 (no year)
 * placed in time around the new year both ways, across half a year, on 29
 * February, and refused when it is no date; and the words the log gives
 * what differs in a key match that is another request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "credit-server/credit.h"

/* The epoch values below are `date -u -d "YYYY-MM-DD hh:mm:ss UTC" +%s`. */
static void expect_instant(const char *field7, long now, long want, const char *want_text)
{
  long got = -2;
  char text[CREDIT_TIMESTAMP_LEN];

  assert_int_equal(credit_transmission_instant(field7, now, &got), 0);
  assert_int_equal(got, want);
  credit_timestamp_text(got, text);
  assert_string_equal(text, want_text);
}

static void same_day(void **state)
{
  (void)state;
  /* now 2026-11-25 12:00:00 */
  expect_instant("1125094303", 1795608000L, 1795599783L, "2026-11-25 09:43:03+00");
}

static void sent_before_midnight_read_after_keeps_the_old_year(void **state)
{
  (void)state;
  /* now 2027-01-01 00:00:02: 31 December is last year's */
  expect_instant("1231235959", 1798761602L, 1798761599L, "2026-12-31 23:59:59+00");
}

static void sent_after_midnight_read_before_gets_the_new_year(void **state)
{
  (void)state;
  /* now 2026-12-31 23:59:50 (a clock a little behind): 1 January is next year's */
  expect_instant("0101000005", 1798761590L, 1798761605L, "2027-01-01 00:00:05+00");
}

static void nearest_year_across_half_a_year(void **state)
{
  (void)state;
  /* now 2026-06-15: 25 December is nearer last year, 5 January this year */
  expect_instant("1225100000", 1781481600L, 1766656800L, "2025-12-25 10:00:00+00");
  expect_instant("0105100000", 1781481600L, 1767607200L, "2026-01-05 10:00:00+00");
  /* now 2026-07-15: 5 January is nearer next year */
  expect_instant("0105100000", 1784073600L, 1799143200L, "2027-01-05 10:00:00+00");
}

static void february_29_only_in_a_leap_year(void **state)
{
  (void)state;
  long t = 0;
  /* now 2028-02-28 12:00 and 2027-12-31 12:00: 2028 is a leap year */
  expect_instant("0229120000", 1835352000L, 1835438400L, "2028-02-29 12:00:00+00");
  expect_instant("0229120000", 1830254400L, 1835438400L, "2028-02-29 12:00:00+00");
  /* now 2026-02-28: no leap year within half a year */
  assert_int_equal(credit_transmission_instant("0229120000", 1772280000L, &t), -1);
}

static void refuses_what_is_no_date(void **state)
{
  (void)state;
  const char *bad[] = { "1301000000", "0001000000", "0100000000", "0431000000", "0230000000",
                        "0101240000", "0101006000", "0101000060", "010100000",  "01010000000",
                        "01010000a0", "",           " 101000000" };
  long t = 42;

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(credit_transmission_instant(bad[i], 1795608000L, &t), -1);
    assert_int_equal(t, 42); /* untouched */
  }
  assert_int_equal(credit_transmission_instant(NULL, 1795608000L, &t), -1);
  /* and the edges that are dates */
  assert_int_equal(credit_transmission_instant("0430235959", 1795608000L, &t), 0);
  assert_int_equal(credit_transmission_instant("1231000000", 1795608000L, &t), 0);
}

static void one_instant_per_field7_whatever_the_second_now(void **state)
{
  (void)state;
  long first = 0, t = 0;
  /* a 0100 and its reversals read over an hour around midnight: one key */
  assert_int_equal(credit_transmission_instant("1231235959", 1798761599L - 60, &first), 0);
  for (long now = 1798761599L - 60; now < 1798761599L + 3600; now += 7) {
    assert_int_equal(credit_transmission_instant("1231235959", now, &t), 0);
    assert_int_equal(t, first);
  }
}

/* The mask itself is issuer.do_authorize's (sql/0012, walked by
 * tests/api/credit_decide_rules.t); here its words for the log. */
static void differences_are_named_in_words(void **state)
{
  (void)state;
  char text[64];
  unsigned all = CREDIT_DIFF_CARD | CREDIT_DIFF_AMOUNT | CREDIT_DIFF_MERCHANT | CREDIT_DIFF_CURRENCY;

  assert_int_equal(all, 15); /* the bits do_authorize reports */
  credit_differs_text(all, text, sizeof text);
  assert_string_equal(text, "card amount merchant currency");
  credit_differs_text(CREDIT_DIFF_AMOUNT | CREDIT_DIFF_CURRENCY, text, sizeof text);
  assert_string_equal(text, "amount currency");
  credit_differs_text(0, text, sizeof text);
  assert_string_equal(text, "");
  credit_differs_text(all, text, 8); /* a short buffer: cut, still a string */
  assert_string_equal(text, "card");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(same_day),
    cmocka_unit_test(sent_before_midnight_read_after_keeps_the_old_year),
    cmocka_unit_test(sent_after_midnight_read_before_gets_the_new_year),
    cmocka_unit_test(nearest_year_across_half_a_year),
    cmocka_unit_test(february_29_only_in_a_leap_year),
    cmocka_unit_test(refuses_what_is_no_date),
    cmocka_unit_test(one_instant_per_field7_whatever_the_second_now),
    cmocka_unit_test(differences_are_named_in_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
