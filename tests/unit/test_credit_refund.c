/* test_credit_refund.c — a refund advice (0220/0221) read and checked by
 * credit_refund_parse (credit-server/refund.c): every field it needs, each
 * refused alone with its number (answered 30); field 90 naming a 0100;
 * both times placed in their year; and who may send one (an acquirer, never
 * a merchant's POS: 58).  The decision (00 13 25 94) is issuer.do_refund,
 * walked by tests/api/credit_refund_*.t. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "credit-server/credit.h"

/* 2026-12-05 09:50:00 UTC: the clock the tests read the times at */
static long test_now(void)
{
  struct tm tm = { .tm_year = 126, .tm_mon = 11, .tm_mday = 5, .tm_hour = 9, .tm_min = 50 };
  return (long)timegm(&tm);
}

static void refund_0220(struct iso_msg *m, const char *mti)
{
  char f90[64];

  iso_msg_init(m, mti);
  assert_int_equal(iso_set(m, 3, "200000"), ISO_OK);
  assert_int_equal(iso_set(m, 4, "000000000100"), ISO_OK);
  assert_int_equal(iso_set(m, 7, "1205094500"), ISO_OK);
  assert_int_equal(iso_set(m, 11, "000077"), ISO_OK);
  assert_int_equal(iso_set(m, 41, "term0001"), ISO_OK);
  assert_int_equal(iso_set(m, 42, "1111111111     "), ISO_OK);
  assert_int_equal(iso_set(m, 49, "392"), ISO_OK);
  assert_int_equal(iso_original_encode("0100", "000042", "1204120000", f90, sizeof f90), ISO_OK);
  assert_int_equal(iso_set(m, 90, f90), ISO_OK);
}

/* m without field f (the codec has no unset: rebuild the message) */
static void without(const struct iso_msg *in, int f, struct iso_msg *out)
{
  iso_msg_init(out, in->mti);
  for (int i = 2; i <= ISO8583_MAX_FIELD; i++)
    if (i != f && iso_get(in, i))
      assert_int_equal(iso_set(out, i, iso_get(in, i)), ISO_OK);
}

static void parses_a_0220(void **state)
{
  struct iso_msg m;
  struct refund_request rf;
  int bad = -1;
  (void)state;

  refund_0220(&m, "0220");
  assert_true(credit_refund_parse(&m, test_now(), &rf, &bad));
  assert_int_equal(bad, 0);
  assert_string_equal(rf.stan, "000077");
  assert_string_equal(rf.transmission_time, "1205094500");
  assert_string_equal(rf.terminal_id, "term0001");
  assert_string_equal(rf.merchant_code, "1111111111");
  assert_string_equal(rf.currency, "392");
  assert_int_equal(rf.amount, 100);
  assert_string_equal(rf.original_stan, "000042");
  assert_string_equal(rf.original_transmission_time, "1204120000");
  char t[CREDIT_TIMESTAMP_LEN];
  credit_timestamp_text(rf.transmitted_at, t);
  assert_string_equal(t, "2026-12-05 09:45:00+00");
  credit_timestamp_text(rf.original_transmitted_at, t);
  assert_string_equal(t, "2026-12-04 12:00:00+00");

  refund_0220(&m, "0221"); /* the repeat reads the same */
  assert_true(credit_refund_parse(&m, test_now(), &rf, &bad));
  assert_string_equal(rf.stan, "000077");
}

static void an_original_of_last_year_keeps_its_year(void **state)
{
  struct iso_msg m, m2;
  struct refund_request rf;
  char f90[64], t[CREDIT_TIMESTAMP_LEN];
  int bad = 0;
  (void)state;

  refund_0220(&m, "0220");
  without(&m, 90, &m2);
  assert_int_equal(iso_original_encode("0100", "000042", "1231235959", f90, sizeof f90), ISO_OK);
  assert_int_equal(iso_set(&m2, 90, f90), ISO_OK);
  assert_true(credit_refund_parse(&m2, test_now() + 40L * 86400, &rf, &bad)); /* read on 14 January 2027 */
  credit_timestamp_text(rf.original_transmitted_at, t);
  assert_string_equal(t, "2026-12-31 23:59:59+00");
}

static void each_missing_field_is_named(void **state)
{
  static const int needed[] = { 3, 4, 7, 11, 41, 42, 49, 90 };
  struct iso_msg m, m2;
  struct refund_request rf;
  (void)state;

  refund_0220(&m, "0220");
  for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
    int bad = 0;
    without(&m, needed[i], &m2);
    assert_false(credit_refund_parse(&m2, test_now(), &rf, &bad));
    assert_int_equal(bad, needed[i]);
  }
}

static void wrong_values_are_refused(void **state)
{
  struct iso_msg m, m2;
  struct refund_request rf;
  char f90[64];
  int bad = 0;
  (void)state;

  refund_0220(&m, "0220");
  without(&m, 3, &m2); /* a purchase's processing code is no refund */
  assert_int_equal(iso_set(&m2, 3, "000000"), ISO_OK);
  assert_false(credit_refund_parse(&m2, test_now(), &rf, &bad));
  assert_int_equal(bad, 3);

  without(&m, 4, &m2); /* nothing to refund */
  assert_int_equal(iso_set(&m2, 4, "000000000000"), ISO_OK);
  assert_false(credit_refund_parse(&m2, test_now(), &rf, &bad));
  assert_int_equal(bad, 4);

  without(&m, 7, &m2); /* 31 April */
  assert_int_equal(iso_set(&m2, 7, "0431120000"), ISO_OK);
  assert_false(credit_refund_parse(&m2, test_now(), &rf, &bad));
  assert_int_equal(bad, 7);

  without(&m, 41, &m2); /* a terminal of spaces only */
  assert_int_equal(iso_set(&m2, 41, "        "), ISO_OK);
  assert_false(credit_refund_parse(&m2, test_now(), &rf, &bad));
  assert_int_equal(bad, 41);

  without(&m, 90, &m2); /* field 90 naming a reversal, not a 0100 */
  assert_int_equal(iso_original_encode("0400", "000042", "1204120000", f90, sizeof f90), ISO_OK);
  assert_int_equal(iso_set(&m2, 90, f90), ISO_OK);
  assert_false(credit_refund_parse(&m2, test_now(), &rf, &bad));
  assert_int_equal(bad, 90);

  without(&m, 90, &m2); /* the original's time is no date */
  assert_int_equal(iso_original_encode("0100", "000042", "1332120000", f90, sizeof f90), ISO_OK);
  assert_int_equal(iso_set(&m2, 90, f90), ISO_OK);
  assert_false(credit_refund_parse(&m2, test_now(), &rf, &bad));
  assert_int_equal(bad, 90);
}

static void only_an_acquirer_may_send_one(void **state)
{
  struct credit_peer acquirer, merchant;
  struct iso_msg m;
  (void)state;

  credit_peer_set(&acquirer, NULL);
  credit_peer_set(&merchant, "1111111111");
  refund_0220(&m, "0220");
  assert_null(credit_permission(&acquirer, &m));
  assert_string_equal(credit_permission(&merchant, &m), "58"); /* even of its own sale (field 42 its own) */
  refund_0220(&m, "0221");
  assert_null(credit_permission(&acquirer, &m));
  assert_string_equal(credit_permission(&merchant, &m), "58");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parses_a_0220),
    cmocka_unit_test(an_original_of_last_year_keeps_its_year),
    cmocka_unit_test(each_missing_field_is_named),
    cmocka_unit_test(wrong_values_are_refused),
    cmocka_unit_test(only_an_acquirer_may_send_one),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
