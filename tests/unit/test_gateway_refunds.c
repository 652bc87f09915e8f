/* test_gateway_refunds.c — unit tests of the gateway's refunds (issue 15,
 * cgi/gateway/refund.c and issuer_link.c's 0220): the void-or-refund
 * decision's day and cut-off in a time zone (PAYGW_CUTOFF_TIME /
 * PAYGW_CUTOFF_TZ), the refund advice (0220, repeat 0221) as the credit
 * server decodes it, refund IDs, the refund object and the handset's
 * message, and the outcome words of db/refund_*.c against sql/0023. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/bodies.h"
#include "gateway/issuer_link.h"
#include "gateway/refund.h"
#include "gateway/validate.h"
#include "iso8583/iso8583.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A UTC instant. */
static time_t utc(int y, int mo, int d, int h, int mi, int s)
{
  struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s };
  return timegm(&tm);
}

static const int CUTOFF_23 = 23 * 60;

static void cutoff_time_parses_hh_mm_only(void **state)
{
  (void)state;
  assert_int_equal(refund_cutoff_minutes("23:00"), 1380);
  assert_int_equal(refund_cutoff_minutes("00:00"), 0);
  assert_int_equal(refund_cutoff_minutes("23:59"), 1439);
  assert_int_equal(refund_cutoff_minutes("24:00"), -1);
  assert_int_equal(refund_cutoff_minutes("12:60"), -1);
  assert_int_equal(refund_cutoff_minutes("9:00"), -1);
  assert_int_equal(refund_cutoff_minutes("09:00x"), -1);
  assert_int_equal(refund_cutoff_minutes("0900"), -1);
  assert_int_equal(refund_cutoff_minutes(""), -1);
  assert_int_equal(refund_cutoff_minutes(NULL), -1);
}

/* Tokyo is UTC+9 all year: 23:00 JST is 14:00 UTC. */
static void void_window_same_day_before_the_cutoff(void **state)
{
  (void)state;
  time_t paid = utc(2026, 12, 5, 1, 0, 0); /* 10:00 JST */
  assert_true(refund_void_window_open(paid, paid, CUTOFF_23, "Asia/Tokyo"));
  assert_true(refund_void_window_open(paid, utc(2026, 12, 5, 13, 59, 59), CUTOFF_23, "Asia/Tokyo")); /* 22:59:59 */
  assert_false(refund_void_window_open(paid, utc(2026, 12, 5, 14, 0, 0), CUTOFF_23, "Asia/Tokyo"));  /* 23:00 */
  assert_false(refund_void_window_open(paid, utc(2026, 12, 5, 14, 59, 59), CUTOFF_23, "Asia/Tokyo"));
  /* a payment after the cut-off is never voided, not even a minute later */
  time_t late = utc(2026, 12, 5, 14, 30, 0); /* 23:30 JST */
  assert_false(refund_void_window_open(late, late + 60, CUTOFF_23, "Asia/Tokyo"));
  /* the cut-off 00:00: nothing is before it */
  assert_false(refund_void_window_open(paid, paid, 0, "Asia/Tokyo"));
  /* now before the payment (a clock gone back): no void */
  assert_false(refund_void_window_open(paid, paid - 1, CUTOFF_23, "Asia/Tokyo"));
}

static void void_window_ends_at_the_local_day_boundary(void **state)
{
  (void)state;
  /* 2026-12-05 14:50 UTC is 23:50 JST: with the cut-off 23:59, a void
   * until 14:59 UTC, and at 15:00 UTC (00:00 JST on the 6th) the day has
   * turned even though the UTC date has not */
  time_t paid = utc(2026, 12, 5, 14, 50, 0);
  assert_true(refund_void_window_open(paid, utc(2026, 12, 5, 14, 58, 59), 23 * 60 + 59, "Asia/Tokyo"));
  assert_false(refund_void_window_open(paid, utc(2026, 12, 5, 15, 0, 0), 23 * 60 + 59, "Asia/Tokyo"));
  /* the next local day before its cut-off is still not the same day */
  assert_false(refund_void_window_open(paid, utc(2026, 12, 6, 1, 0, 0), CUTOFF_23, "Asia/Tokyo"));
  /* a year's end: 1 January is another day of another year */
  time_t eve = utc(2026, 12, 31, 1, 0, 0);
  assert_false(refund_void_window_open(eve, utc(2027, 1, 1, 1, 0, 0), CUTOFF_23, "Asia/Tokyo"));
}

static void void_window_depends_on_the_time_zone(void **state)
{
  (void)state;
  /* 14:30 and 15:30 UTC: one UTC day, before 23:00 in UTC; in Tokyo 23:30
   * on the 5th and 00:30 on the 6th */
  time_t paid = utc(2026, 12, 5, 14, 30, 0), now = utc(2026, 12, 5, 15, 30, 0);
  assert_true(refund_void_window_open(paid, now, CUTOFF_23, "UTC"));
  assert_false(refund_void_window_open(paid, now, CUTOFF_23, "Asia/Tokyo"));
  /* New York (UTC-5 in December): 09:30 and 10:30 local */
  assert_true(refund_void_window_open(paid, now, CUTOFF_23, "America/New_York"));
  /* 23:30 UTC is 18:30 in New York: before its cut-off, a UTC day later */
  assert_true(refund_void_window_open(paid, utc(2026, 12, 5, 23, 30, 0), CUTOFF_23, "America/New_York"));
  assert_false(refund_void_window_open(paid, utc(2026, 12, 5, 23, 30, 0), CUTOFF_23, "UTC"));
  /* an unknown zone voids nothing (glibc would read it as UTC) */
  assert_false(refund_zone_known("Mars/Olympus"));
  assert_false(refund_void_window_open(paid, now, CUTOFF_23, "Mars/Olympus"));
  assert_false(refund_zone_known("../../etc/passwd"));
  assert_false(refund_zone_known("/etc/localtime"));
  assert_false(refund_zone_known(""));
  assert_true(refund_zone_known("Asia/Tokyo"));
}

static void the_process_time_zone_is_left_as_it_was(void **state)
{
  (void)state;
  setenv("TZ", "Europe/London", 1);
  tzset();
  (void)refund_void_window_open(utc(2026, 12, 5, 1, 0, 0), utc(2026, 12, 5, 2, 0, 0), CUTOFF_23, "Asia/Tokyo");
  assert_string_equal(getenv("TZ"), "Europe/London");
  unsetenv("TZ");
  tzset();
  (void)refund_void_window_open(utc(2026, 12, 5, 1, 0, 0), utc(2026, 12, 5, 2, 0, 0), CUTOFF_23, "Asia/Tokyo");
  assert_null(getenv("TZ"));
}

static const struct issuer_refund sample = {
  .amount = 300,
  .currency_numeric = "392",
  .merchant_code = "1111111111",
  .terminal_field = "pos-1111",
  .stan = 4321,
  .transmission_time = "1205103000",
  .orig_stan = 42,
  .orig_time = "1205100000",
};

static void refund_advice_as_the_credit_server_reads_it(void **state)
{
  struct iso_msg m, back;
  uint8_t wire[ISO8583_MAX_MESSAGE];
  size_t len;
  char stan[7], mti[5], ostan[7], otime[11];
  (void)state;

  assert_int_equal(issuer_refund_message(&sample, false, &m, stan), 0);
  assert_string_equal(stan, "004321");
  assert_int_equal(iso_pack(&m, wire, sizeof wire, &len), ISO_OK);
  assert_int_equal(iso_unpack(&back, wire, len), ISO_OK);
  assert_string_equal(back.mti, "0220");
  assert_string_equal(iso_get(&back, ISO_F_PROCESSING_CODE), "200000");
  assert_string_equal(iso_get(&back, ISO_F_AMOUNT), "000000000300");
  assert_string_equal(iso_get(&back, ISO_F_TRANSMISSION_TIME), "1205103000"); /* its own */
  assert_string_equal(iso_get(&back, ISO_F_STAN), "004321");                  /* its own */
  assert_string_equal(iso_get(&back, ISO_F_TERMINAL_ID), "pos-1111");
  assert_string_equal(iso_get(&back, ISO_F_CURRENCY), "392");
  assert_int_equal(iso_original_decode(iso_get(&back, ISO_F_ORIGINAL_DATA), mti, sizeof mti, ostan, sizeof ostan, otime,
                                       sizeof otime),
                   ISO_OK);
  assert_string_equal(mti, "0100"); /* field 90 names the original authorization */
  assert_string_equal(ostan, "000042");
  assert_string_equal(otime, "1205100000");
  assert_null(iso_get(&back, ISO_F_PAN)); /* never the card number */
  assert_null(iso_get(&back, ISO_F_RESPONSE_CODE));
}

static void a_repeat_is_the_first_but_its_mti(void **state)
{
  struct iso_msg first, repeat;
  uint8_t a[ISO8583_MAX_MESSAGE], b[ISO8583_MAX_MESSAGE];
  size_t la, lb;
  char stan[7];
  (void)state;

  assert_int_equal(issuer_refund_message(&sample, false, &first, stan), 0);
  assert_int_equal(issuer_refund_message(&sample, true, &repeat, stan), 0);
  assert_string_equal(repeat.mti, "0221");
  assert_int_equal(iso_pack(&first, a, sizeof a, &la), ISO_OK);
  assert_int_equal(iso_pack(&repeat, b, sizeof b, &lb), ISO_OK);
  assert_int_equal(la, lb);
  assert_memory_not_equal(a, b, 4);
  assert_memory_equal(a + 4, b + 4, la - 4); /* identical but the MTI */
}

static void a_malformed_refund_is_not_built(void **state)
{
  struct iso_msg m;
  char stan[7];
  struct issuer_refund r = sample;
  (void)state;

  r.amount = 0;
  assert_int_equal(issuer_refund_message(&r, false, &m, stan), -1);
  r = sample, r.stan = 0;
  assert_int_equal(issuer_refund_message(&r, false, &m, stan), -1);
  r = sample, r.orig_stan = 1000000;
  assert_int_equal(issuer_refund_message(&r, false, &m, stan), -1);
  r = sample;
  snprintf(r.orig_time, sizeof r.orig_time, "12051000");
  assert_int_equal(issuer_refund_message(&r, false, &m, stan), -1);
  r = sample, r.merchant_code = "1234567890123456"; /* field 42 holds 15 */
  assert_int_equal(issuer_refund_message(&r, false, &m, stan), -1);
}

static void refund_ids_are_random_and_have_their_shape(void **state)
{
  char a[REFUND_ID_LEN + 1], b[REFUND_ID_LEN + 1];
  (void)state;
  assert_int_equal(public_id_new(REFUND_ID_PREFIX, a), 0);
  assert_int_equal(public_id_new(REFUND_ID_PREFIX, b), 0);
  assert_true(public_id_valid(REFUND_ID_PREFIX, a));
  assert_string_not_equal(a, b);
  assert_false(public_id_valid(REFUND_ID_PREFIX, "tk_AAAAAAAAAAAAAAAAAAAAAA"));
  assert_false(public_id_valid(REFUND_ID_PREFIX, "rf_AAAAAAAAAAAAAAAAAAAAA"));
  assert_false(public_id_valid(REFUND_ID_PREFIX, "rf_AAAAAAAAAAAAAAAAAAAA/A"));
  assert_true(public_id_valid(REFUND_ID_PREFIX, "rf_AAAAAAAAAAAAAAAAAAAA-_"));
  assert_true(refund_status_is_final("completed") && refund_status_is_final("declined")
              && refund_status_is_final("failed"));
  assert_false(refund_status_is_final("pending"));
}

static struct refund_row row(const char *status)
{
  struct refund_row r = { .amount = 300, .total = 1000, .refunded_others = 200 };
  snprintf(r.id, sizeof r.id, "rf_AAAAAAAAAAAAAAAAAAAAAA");
  snprintf(r.number, sizeof r.number, "0123456789ABCDEF");
  snprintf(r.kind, sizeof r.kind, "refund");
  snprintf(r.currency, sizeof r.currency, "JPY");
  snprintf(r.status, sizeof r.status, "%s", status);
  snprintf(r.created_at, sizeof r.created_at, "2026-12-05T10:00:00Z");
  snprintf(r.merchant_code, sizeof r.merchant_code, "1111111111");
  snprintf(r.shop_name, sizeof r.shop_name, "Shop A");
  snprintf(r.user_id, sizeof r.user_id, "00001");
  return r;
}

static void refund_objects_by_state(void **state)
{
  (void)state;
  struct refund_row r = row("pending");
  json_t *o = refund_object(&r);
  char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  assert_string_equal(text,
                      "{\"id\":\"rf_AAAAAAAAAAAAAAAAAAAAAA\",\"transaction\":\"0123456789ABCDEF\",\"kind\":\"refund\","
                      "\"amount\":300,\"currency\":\"JPY\",\"reason\":null,\"status\":\"pending\","
                      "\"response_code\":null,\"created_at\":\"2026-12-05T10:00:00Z\",\"completed_at\":null}");
  free(text);
  json_decref(o);

  r = row("declined");
  snprintf(r.response_code, sizeof r.response_code, "13");
  snprintf(r.outcome_reason, sizeof r.outcome_reason, "invalid amount");
  r.has_ended_at = true;
  snprintf(r.ended_at, sizeof r.ended_at, "2026-12-05T10:00:01Z");
  o = refund_object(&r);
  assert_string_equal(json_string_value(json_object_get(json_object_get(o, "decline"), "code")), "13");
  assert_true(json_is_null(json_object_get(o, "completed_at"))); /* completed only */
  assert_null(json_object_get(o, "failure"));
  json_decref(o);

  r = row("completed");
  r.has_reason = true;
  snprintf(r.reason, sizeof r.reason, "damaged");
  snprintf(r.response_code, sizeof r.response_code, "00");
  r.has_ended_at = true;
  snprintf(r.ended_at, sizeof r.ended_at, "2026-12-05T10:00:01Z");
  o = refund_object(&r);
  assert_string_equal(json_string_value(json_object_get(o, "reason")), "damaged");
  assert_string_equal(json_string_value(json_object_get(o, "completed_at")), "2026-12-05T10:00:01Z");
  assert_null(json_object_get(o, "decline"));
  json_decref(o);

  r = row("failed");
  snprintf(r.outcome_reason, sizeof r.outcome_reason, "given up");
  o = refund_object(&r);
  assert_string_equal(json_string_value(json_object_get(json_object_get(o, "failure"), "reason")), "given up");
  json_decref(o);
}

static void the_handsets_refund_message(void **state)
{
  (void)state;
  struct refund_row r = row("completed");
  json_t *m = refund_message(&r, 500, "2026-12-05T10:00:01Z");
  char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
  assert_string_equal(text, "{\"kind\":\"refund\",\"refund\":\"rf_AAAAAAAAAAAAAAAAAAAAAA\",\"transaction\":"
                            "\"0123456789ABCDEF\",\"user_id\":\"00001\",\"refund_kind\":\"refund\",\"amount\":300,"
                            "\"currency\":\"JPY\",\"refunded\":500,\"total\":1000,\"merchant\":\"1111111111\","
                            "\"shop\":\"Shop A\",\"issued_at\":\"2026-12-05T10:00:01Z\"}");
  free(text);
  json_decref(m);
}

static void the_refund_body_table(void **state)
{
  char err[200];
  struct refund_body b = { 0 };
  (void)state;
  assert_null(validate_spec_problem(refund_spec, sizeof(struct refund_body)));
  json_t *v = json_loads("{\"amount\": 999999999999, \"reason\": \"damaged\"}", 0, NULL);
  assert_int_equal(validate_object(v, refund_spec, &b, "", err, sizeof err), 0);
  assert_int_equal(b.amount, 999999999999LL);
  assert_string_equal(b.reason, "damaged");
  json_decref(v);
  v = json_loads("{\"amount\": 1000000000000}", 0, NULL);
  assert_int_equal(validate_object(v, refund_spec, &b, "", err, sizeof err), -1);
  json_decref(v);
  v = json_loads("{\"amount\": 5, \"reason\": \"a\\u0007b\"}", 0, NULL);
  assert_int_equal(validate_object(v, refund_spec, &b, "", err, sizeof err), -1);
  json_decref(v);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(cutoff_time_parses_hh_mm_only),
    cmocka_unit_test(void_window_same_day_before_the_cutoff),
    cmocka_unit_test(void_window_ends_at_the_local_day_boundary),
    cmocka_unit_test(void_window_depends_on_the_time_zone),
    cmocka_unit_test(the_process_time_zone_is_left_as_it_was),
    cmocka_unit_test(refund_advice_as_the_credit_server_reads_it),
    cmocka_unit_test(a_repeat_is_the_first_but_its_mti),
    cmocka_unit_test(a_malformed_refund_is_not_built),
    cmocka_unit_test(refund_ids_are_random_and_have_their_shape),
    cmocka_unit_test(refund_objects_by_state),
    cmocka_unit_test(the_handsets_refund_message),
    cmocka_unit_test(the_refund_body_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
