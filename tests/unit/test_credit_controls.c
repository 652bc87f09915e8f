/* test_credit_controls.c — the credit server's test-control file: accepted
 * lines, every kind of refused line, and which rule a card gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "credit-server/controls.h"

static void parses_delay_drop_comments_and_blanks(void **state)
{
  (void)state;
  struct control_set set;
  char err[128] = "";
  assert_int_equal(controls_parse("# test controls\n\ndelay 5678 6000\n  drop 6787  # no answer\ndelay 7895 1", &set,
                                  err, sizeof err),
                   0);
  assert_int_equal(set.count, 3);
  assert_string_equal(set.rules[0].last4, "5678");
  assert_int_equal(set.rules[0].delay_ms, 6000);
  assert_false(set.rules[0].drop);
  assert_true(set.rules[1].drop);
  assert_int_equal(set.rules[2].delay_ms, 1);
}

static void refuses_bad_lines_with_their_number(void **state)
{
  (void)state;
  static const char *const bad[] = {
    "delay 5678\n",        /* no milliseconds */
    "delay 5678 0\n",      /* zero */
    "delay 5678 600001\n", /* over the maximum */
    "delay 5678 12ms\n",
    "delay 567 100\n",         /* not 4 digits */
    "drop 1525000012345678\n", /* a whole card number: refused */
    "drop\n",
    "sleep 5678 100\n", /* unknown word */
    "drop 5678 extra\n",
  };
  struct control_set set;
  char err[128];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = '\0';
    assert_int_equal(controls_parse(bad[i], &set, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 1"));
  }
  assert_int_equal(controls_parse("drop 1111\n# ok\nbogus\n", &set, err, sizeof err), -1);
  assert_non_null(strstr(err, "line 3"));
}

static void lookup_gives_the_card_its_rules(void **state)
{
  (void)state;
  struct control_set set;
  char err[128];
  long delay;
  bool drop;
  assert_int_equal(controls_parse("delay 5678 100\ndrop 6787\ndelay 5678 200\n", &set, err, sizeof err), 0);
  controls_lookup(&set, "5678", &delay, &drop);
  assert_int_equal(delay, 200); /* the last line wins */
  assert_false(drop);
  controls_lookup(&set, "6787", &delay, &drop);
  assert_int_equal(delay, 0);
  assert_true(drop);
  controls_lookup(&set, "0000", &delay, &drop);
  assert_int_equal(delay, 0);
  assert_false(drop);
}

static void off_by_default(void **state)
{
  (void)state;
  long delay = -1;
  bool drop = true;
  assert_false(controls_enabled());
  controls_for_card("5678", &delay, &drop);
  assert_int_equal(delay, 0);
  assert_false(drop);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parses_delay_drop_comments_and_blanks),
    cmocka_unit_test(refuses_bad_lines_with_their_number),
    cmocka_unit_test(lookup_gives_the_card_its_rules),
    cmocka_unit_test(off_by_default),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
