/* test_credit_request.c — the credit server's pure parts: the parsing of a
 * 0100's fields, reading MTI and STAN out of a message that does not decode
 * as a whole, and approval codes.  The decision on a 0100 (every response
 * code in its order of precedence, the method rules of figure 24A) is
 * issuer.decide in sql/0012, walked by tests/api/credit_decide_rules.t. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "credit-server/credit.h"
#include "credit-server/handler.h"

static void fill_0100(struct iso_msg *msg)
{
  iso_msg_init(msg, "0100");
  assert_int_equal(iso_set(msg, 2, "1525000012345678"), ISO_OK);
  assert_int_equal(iso_set(msg, 3, "000000"), ISO_OK);
  assert_int_equal(iso_set(msg, 4, "000000002592"), ISO_OK);
  assert_int_equal(iso_set(msg, 7, "1125094303"), ISO_OK);
  assert_int_equal(iso_set(msg, 11, "000042"), ISO_OK);
  assert_int_equal(iso_set(msg, 14, "3012"), ISO_OK);
  assert_int_equal(iso_set(msg, 41, "pos-1111"), ISO_OK);
  assert_int_equal(iso_set(msg, 42, "1111111111     "), ISO_OK);
  assert_int_equal(iso_set(msg, 48, "PMI 06"), ISO_OK);
  assert_int_equal(iso_set(msg, 49, "392"), ISO_OK);
}

static void parses_a_0100_and_trims_padding(void **state)
{
  (void)state;
  struct iso_msg msg;
  struct credit_request rq;
  int bad = -1;
  fill_0100(&msg);
  assert_true(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(rq.amount, 2592);
  assert_string_equal(rq.merchant_code, "1111111111");
  assert_string_equal(rq.terminal_id, "pos-1111");
  assert_string_equal(rq.method, "I");
  assert_int_equal(rq.installments, 6);
  assert_string_equal(rq.stan, "000042");
}

static void refuses_a_0100_with_a_missing_or_bad_field(void **state)
{
  (void)state;
  static const int mandatory[] = { 2, 3, 4, 7, 11, 14, 41, 42, 48, 49 };
  struct iso_msg msg, partial;
  struct credit_request rq;
  int bad = 0;

  fill_0100(&msg);
  for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++) {
    iso_msg_init(&partial, "0100");
    for (int f = 2; f <= 64; f++)
      if (f != mandatory[i] && iso_get(&msg, f))
        iso_set(&partial, f, iso_get(&msg, f));
    assert_false(credit_request_parse(&partial, &rq, &bad));
    assert_int_equal(bad, mandatory[i]);
  }
  fill_0100(&msg);
  iso_set(&msg, 4, "000000000000"); /* zero amount */
  assert_false(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(bad, 4);
  fill_0100(&msg);
  iso_set(&msg, 2, "1525000012345679"); /* Luhn fails */
  assert_false(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(bad, 2);
  fill_0100(&msg);
  iso_set(&msg, 14, "3013"); /* month 13 */
  assert_false(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(bad, 14);
  fill_0100(&msg);
  iso_set(&msg, 48, "PMX 00"); /* unknown method */
  assert_false(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(bad, 48);
}

static void salvages_mti_and_stan_of_a_broken_message(void **state)
{
  (void)state;
  struct iso_msg msg;
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  char mti[5], stan[7];

  fill_0100(&msg);
  assert_int_equal(iso_pack(&msg, buf, sizeof buf, &len), ISO_OK);
  /* cut the message after field 11: no longer decodable, still salvageable */
  struct iso_msg check;
  assert_int_not_equal(iso_unpack(&check, buf, len - 10), ISO_OK);
  assert_true(handler_salvage(buf, len - 10, mti, stan));
  assert_string_equal(mti, "0100");
  assert_string_equal(stan, "000042");
  /* every shorter cut either salvages the same values or refuses, and never
   * reads past the end (run under valgrind/ASan to see the latter) */
  for (size_t cut = 0; cut < len; cut++)
    if (handler_salvage(buf, cut, mti, stan))
      assert_string_equal(stan, "000042");
  assert_false(handler_salvage(buf, 40, mti, stan)); /* inside field 4 */
  assert_false(handler_salvage((const uint8_t *)"garbage garbage garbage", 23, mti, stan));
  buf[0] = 'x';
  assert_false(handler_salvage(buf, len, mti, stan));
}

static void answer_mti_of_each_request(void **state)
{
  (void)state;
  char out[5];
  assert_true(handler_answer_mti("0100", out));
  assert_string_equal(out, "0110");
  assert_true(handler_answer_mti("0401", out));
  assert_string_equal(out, "0410");
  assert_true(handler_answer_mti("0800", out));
  assert_string_equal(out, "0810");
  assert_false(handler_answer_mti("0110", out));
}

static void approval_codes_are_six_of_0_9_A_Z_and_vary(void **state)
{
  (void)state;
  char a[7], b[7];
  assert_int_equal(credit_approval_code(a), 0);
  assert_int_equal(credit_approval_code(b), 0);
  assert_int_equal(strlen(a), 6);
  assert_int_equal(strspn(a, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 6);
  assert_string_not_equal(a, b); /* 36^6 values: a clash is one in two billion */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parses_a_0100_and_trims_padding),
    cmocka_unit_test(refuses_a_0100_with_a_missing_or_bad_field),
    cmocka_unit_test(salvages_mti_and_stan_of_a_broken_message),
    cmocka_unit_test(answer_mti_of_each_request),
    cmocka_unit_test(approval_codes_are_six_of_0_9_A_Z_and_vary),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
