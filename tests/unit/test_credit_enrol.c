/* test_credit_enrol.c — credit-server/enrol.c's one piece of logic: the
 * issuer of a card number among card ranges whose bounds are prefixes (low
 * read with 0s after it, high with 9s), the longest low bound winning, none
 * when no range holds the number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "credit-server/db/ops.h"
#include "credit-server/enrol.h"

static const struct card_range ranges[] = {
  { "1525", "1525", "2a11111" },        /* every card starting 1525 */
  { "15250099", "15250099", "narrow" }, /* a longer prefix inside it */
  { "4000", "4999", "brand4" },         /* 4000... up to 4999... */
};
#define N_RANGES ((int)(sizeof ranges / sizeof ranges[0]))

static const char *issuer_of(const char *pan)
{
  static char out[17];
  strcpy(out, "-");
  return enrol_issuer_for_pan(ranges, N_RANGES, pan, out, sizeof out) ? out : "none";
}

static void a_prefix_holds_every_number_under_it(void **state)
{
  (void)state;
  assert_string_equal(issuer_of("1525000012345678"), "2a11111");
  assert_string_equal(issuer_of("1525999999999999999"), "2a11111");
  assert_string_equal(issuer_of("4000000000000002"), "brand4");
  assert_string_equal(issuer_of("4999999999999995"), "brand4");
}

static void the_longest_prefix_wins(void **state)
{
  (void)state;
  assert_string_equal(issuer_of("1525009912345678"), "narrow");
  assert_string_equal(issuer_of("1525009812345678"), "2a11111");
}

static void numbers_outside_every_range_have_none(void **state)
{
  (void)state;
  assert_string_equal(issuer_of("1524999999999999"), "none");
  assert_string_equal(issuer_of("1526000000000000"), "none");
  assert_string_equal(issuer_of("5000000000000000"), "none");
  assert_false(enrol_issuer_for_pan(ranges, 0, "1525000012345678", (char[17]){ 0 }, 17));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_prefix_holds_every_number_under_it),
    cmocka_unit_test(the_longest_prefix_wins),
    cmocka_unit_test(numbers_outside_every_range_have_none),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
