/* test_credit_decide.c — the credit server's pure parts: the decision on a
 * 0100 (every response code, in its order of precedence), the method rules
 * of figure 24A, the parsing of a 0100's fields, and reading MTI and STAN
 * out of a message that does not decode as a whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "credit-server/credit.h"
#include "credit-server/handler.h"

/* 2026-11-25 12:00 UTC */
static const long NOW = 1795608000L;

static void good(struct credit_request *rq, struct credit_account *a, struct credit_merchant *m)
{
  memset(rq, 0, sizeof *rq);
  strcpy(rq->pan, "1525000012345678");
  strcpy(rq->expiry, "3012");
  rq->amount = 2592;
  strcpy(rq->currency, "392");
  strcpy(rq->stan, "000042");
  strcpy(rq->transmission_time, "1125094303");
  strcpy(rq->terminal_id, "pos-1111");
  strcpy(rq->merchant_code, "1111111111");
  strcpy(rq->method, "L");
  memset(a, 0, sizeof *a);
  a->found = true;
  a->id = 1;
  strcpy(a->issuer_code, "2a11111");
  strcpy(a->expiry, "3012");
  a->credit_limit = 500000;
  a->balance = 0;
  strcpy(a->currency, "392");
  memset(m, 0, sizeof *m);
  m->found = m->has_methods = true;
  strcpy(m->methods[0], "L");
  strcpy(m->methods[1], "I");
  strcpy(m->methods[2], "R");
  m->method_count = 3;
  m->installment_counts[0] = 3;
  m->installment_counts[1] = 6;
  m->installment_count_n = 2;
}

static void approves_a_good_request(void **state)
{
  (void)state;
  struct credit_request rq;
  struct credit_account a;
  struct credit_merchant m;
  good(&rq, &a, &m);
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "00");
}

static void unknown_card_is_14_before_anything_else(void **state)
{
  (void)state;
  struct credit_request rq;
  struct credit_account a;
  struct credit_merchant m;
  good(&rq, &a, &m);
  a.found = false;
  m.found = false;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "14");
}

static void expired_at_issuer_or_other_expiry_is_54(void **state)
{
  (void)state;
  struct credit_request rq;
  struct credit_account a;
  struct credit_merchant m;
  good(&rq, &a, &m);
  strcpy(a.expiry, "2001");
  strcpy(rq.expiry, "2001");
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "54");
  good(&rq, &a, &m);
  strcpy(rq.expiry, "3011");             /* the card says otherwise */
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "54");
  good(&rq, &a, &m);
  strcpy(a.expiry, "2611");              /* this month: still valid */
  strcpy(rq.expiry, "2611");
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "00");
  strcpy(a.expiry, "2610");              /* last month: expired */
  strcpy(rq.expiry, "2610");
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "54");
}

static void unknown_or_disabled_merchant_is_03(void **state)
{
  (void)state;
  struct credit_request rq;
  struct credit_account a;
  struct credit_merchant m;
  good(&rq, &a, &m);
  m.found = false;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "03");
  good(&rq, &a, &m);
  m.disabled = true;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "03");
}

static void method_not_offered_is_57(void **state)
{
  (void)state;
  struct credit_request rq;
  struct credit_account a;
  struct credit_merchant m;
  good(&rq, &a, &m);
  strcpy(rq.method, "B");
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "57");
  strcpy(rq.method, "I");
  rq.installments = 12;                  /* I is offered, 12 payments are not */
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "57");
  rq.installments = 6;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "00");
  good(&rq, &a, &m);
  m.has_methods = false;                 /* no row for this card's issuer */
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "57");
}

static void over_the_limit_is_51_and_exactly_the_limit_is_not(void **state)
{
  (void)state;
  struct credit_request rq;
  struct credit_account a;
  struct credit_merchant m;
  good(&rq, &a, &m);
  a.credit_limit = 1000;
  a.balance = 900;
  rq.amount = 100;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "00");
  rq.amount = 101;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "51");
  a.balance = 1000;
  rq.amount = 1;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "51");
  a.balance = 0;
  rq.amount = INT64_MAX;                 /* no overflow in the comparison */
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "51");
}

static void blocked_account_or_other_currency_is_05(void **state)
{
  (void)state;
  struct credit_request rq;
  struct credit_account a;
  struct credit_merchant m;
  good(&rq, &a, &m);
  a.blocked = true;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "05");
  good(&rq, &a, &m);
  strcpy(rq.currency, "840");
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "05");
  /* first match wins, as documented: 05 comes before 03 and 57 */
  m.found = false;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "05");
  good(&rq, &a, &m);
  strcpy(rq.currency, "840");
  m.has_methods = false;
  assert_string_equal(credit_decide(&rq, &a, &m, NOW), "05");
}

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
  iso_set(&msg, 4, "000000000000");         /* zero amount */
  assert_false(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(bad, 4);
  fill_0100(&msg);
  iso_set(&msg, 2, "1525000012345679");     /* Luhn fails */
  assert_false(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(bad, 2);
  fill_0100(&msg);
  iso_set(&msg, 14, "3013");                /* month 13 */
  assert_false(credit_request_parse(&msg, &rq, &bad));
  assert_int_equal(bad, 14);
  fill_0100(&msg);
  iso_set(&msg, 48, "PMX 00");              /* unknown method */
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
  assert_false(handler_salvage(buf, 40, mti, stan));   /* inside field 4 */
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
  assert_string_not_equal(a, b);   /* 36^6 values: a clash is one in two billion */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(approves_a_good_request),
    cmocka_unit_test(unknown_card_is_14_before_anything_else),
    cmocka_unit_test(expired_at_issuer_or_other_expiry_is_54),
    cmocka_unit_test(unknown_or_disabled_merchant_is_03),
    cmocka_unit_test(method_not_offered_is_57),
    cmocka_unit_test(over_the_limit_is_51_and_exactly_the_limit_is_not),
    cmocka_unit_test(blocked_account_or_other_currency_is_05),
    cmocka_unit_test(parses_a_0100_and_trims_padding),
    cmocka_unit_test(refuses_a_0100_with_a_missing_or_bad_field),
    cmocka_unit_test(salvages_mti_and_stan_of_a_broken_message),
    cmocka_unit_test(answer_mti_of_each_request),
    cmocka_unit_test(approval_codes_are_six_of_0_9_A_Z_and_vary),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
