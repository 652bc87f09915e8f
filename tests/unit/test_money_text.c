/* test_money_text.c — unit tests for lib/common/money_text: the currency
 * table and the one formatter of amounts (plain and grouped), its edges
 * (0, 1, negatives, INT64_MAX, INT64_MIN) and its refusals (an unknown
 * currency, too small a buffer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/money_text.h"

#include <string.h>

/* out after money_text_display / money_text_plain, which must answer 0 */
static const char *shown(int64_t minor, const char *alpha)
{
  static char out[48];
  assert_int_equal(money_text_display(minor, alpha, out, sizeof out), 0);
  return out;
}

static const char *plain(int64_t minor, const char *alpha)
{
  static char out[48];
  assert_int_equal(money_text_plain(minor, alpha, out, sizeof out), 0);
  return out;
}

static void the_table_has_each_currency_with_its_numeric_code_and_exponent(void **state)
{
  static const struct {
    const char *alpha, *numeric;
    int exponent;
  } want[] = { { "JPY", "392", 0 }, { "USD", "840", 2 }, { "EUR", "978", 2 }, { "GBP", "826", 2 } };
  (void)state;

  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct currency *c = currency_by_alpha(want[i].alpha);
    assert_non_null(c);
    assert_string_equal(c->alpha, want[i].alpha);
    assert_string_equal(c->numeric, want[i].numeric);
    assert_int_equal(c->exponent, want[i].exponent);
    assert_int_equal(currency_exponent(want[i].alpha), want[i].exponent);
  }
}

static void an_unknown_currency_is_refused(void **state)
{
  char out[48] = "untouched";
  (void)state;

  assert_null(currency_by_alpha("XXX"));
  assert_null(currency_by_alpha("jpy")); /* exact capitals only */
  assert_null(currency_by_alpha("BHD")); /* ISO 4217, but paygw does not take it */
  assert_null(currency_by_alpha(""));
  assert_null(currency_by_alpha(NULL));
  assert_int_equal(currency_exponent("XXX"), -1);
  assert_int_equal(currency_exponent(NULL), -1);
  assert_int_equal(money_text_display(1234, "XXX", out, sizeof out), -1);
  assert_string_equal(out, "");
  strcpy(out, "untouched");
  assert_int_equal(money_text_plain(1234, "JPYX", out, sizeof out), -1);
  assert_string_equal(out, "");
  strcpy(out, "untouched");
  assert_int_equal(money_text_display(1234, NULL, out, sizeof out), -1);
  assert_string_equal(out, "");
}

static void yen_has_no_decimals_and_groups_by_thousands(void **state)
{
  (void)state;
  assert_string_equal(shown(0, "JPY"), "0");
  assert_string_equal(shown(1, "JPY"), "1");
  assert_string_equal(shown(999, "JPY"), "999");
  assert_string_equal(shown(1000, "JPY"), "1,000");
  assert_string_equal(shown(3456, "JPY"), "3,456");
  assert_string_equal(shown(1234567, "JPY"), "1,234,567");
  assert_string_equal(shown(-4096, "JPY"), "-4,096");
  assert_string_equal(shown(-100000, "JPY"), "-100,000");
  assert_string_equal(plain(0, "JPY"), "0");
  assert_string_equal(plain(1, "JPY"), "1");
  assert_string_equal(plain(3456, "JPY"), "3456");
  assert_string_equal(plain(-4096, "JPY"), "-4096");
}

static void two_decimal_currencies_keep_leading_zeros(void **state)
{
  static const char *const two[] = { "USD", "EUR", "GBP" };
  (void)state;

  for (size_t i = 0; i < sizeof two / sizeof two[0]; i++) {
    assert_string_equal(shown(0, two[i]), "0.00");
    assert_string_equal(shown(1, two[i]), "0.01");
    assert_string_equal(shown(5, two[i]), "0.05");
    assert_string_equal(shown(1234, two[i]), "12.34");
    assert_string_equal(shown(123456, two[i]), "1,234.56");
    assert_string_equal(shown(1234567, two[i]), "12,345.67");
    assert_string_equal(shown(-1250, two[i]), "-12.50");
    assert_string_equal(shown(-5, two[i]), "-0.05");
    assert_string_equal(plain(0, two[i]), "0.00");
    assert_string_equal(plain(1, two[i]), "0.01");
    assert_string_equal(plain(123456, two[i]), "1234.56");
    assert_string_equal(plain(-5, two[i]), "-0.05");
  }
}

static void the_int64_edges_are_exact(void **state)
{
  (void)state;
  assert_string_equal(shown(INT64_MAX, "JPY"), "9,223,372,036,854,775,807");
  assert_string_equal(plain(INT64_MAX, "JPY"), "9223372036854775807");
  assert_string_equal(shown(INT64_MAX, "USD"), "92,233,720,368,547,758.07");
  assert_string_equal(shown(INT64_MIN, "JPY"), "-9,223,372,036,854,775,808");
  assert_string_equal(plain(INT64_MIN, "USD"), "-92233720368547758.08");
}

static void too_small_a_buffer_gets_nothing_rather_than_a_cut_amount(void **state)
{
  char small[6] = "xxxxx", exact[6];
  (void)state;

  assert_int_equal(money_text_display(12345, "JPY", small, sizeof small), -1); /* "12,345" needs 7 */
  assert_string_equal(small, "");
  assert_int_equal(money_text_plain(12345, "JPY", exact, sizeof exact), 0); /* "12345" fits 6 */
  assert_string_equal(exact, "12345");
  assert_int_equal(money_text_display(1, "JPY", small, 0), -1); /* no room at all: untouched */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_table_has_each_currency_with_its_numeric_code_and_exponent),
    cmocka_unit_test(an_unknown_currency_is_refused),
    cmocka_unit_test(yen_has_no_decimals_and_groups_by_thousands),
    cmocka_unit_test(two_decimal_currencies_keep_leading_zeros),
    cmocka_unit_test(the_int64_edges_are_exact),
    cmocka_unit_test(too_small_a_buffer_gets_nothing_rather_than_a_cut_amount),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
