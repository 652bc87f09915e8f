/* test_credit_metrics.c — the credit server's counters and their text
 * (credit-server/metrics.c): answers by MTI and response code, 0100s as
 * approved or declined, unknown MTIs and codes as "other", duplicates,
 * handshake failures by reason, the processing histogram; and the address
 * it is served on (none when unset, a malformed one refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "credit-server/metrics.h"
#include "prom_value.h"

static void test_counts_rendered(void **state)
{
  struct prom_text t = { 0 };

  (void)state;
  credit_metrics_answer("0100", "00");
  credit_metrics_answer("0100", "00");
  credit_metrics_answer("0100", "51");
  credit_metrics_answer("0400", "00");
  credit_metrics_answer("0999", "Z9");
  credit_metrics_duplicate();
  credit_metrics_handshake_failed("timeout");
  credit_metrics_handshake_failed("refused");
  credit_metrics_handshake_failed("no such reason");
  credit_metrics_processing("0100", 0.004);
  credit_metrics_processing("0100", 0.2);
  credit_metrics_render(&t);
  assert_false(t.failed);
  assert_true(value_of(t.text, "paygw_credit_messages_total{mti=\"0100\",response_code=\"00\"}") == 2);
  assert_true(value_of(t.text, "paygw_credit_messages_total{mti=\"0100\",response_code=\"51\"}") == 1);
  assert_true(value_of(t.text, "paygw_credit_messages_total{mti=\"0400\",response_code=\"00\"}") == 1);
  assert_true(value_of(t.text, "paygw_credit_messages_total{mti=\"other\",response_code=\"other\"}") == 1);
  /* a pair never counted is not shown */
  assert_true(value_of(t.text, "paygw_credit_messages_total{mti=\"0220\",response_code=\"00\"}") == -1);
  /* only 0100s are authorizations: the reversal's 00 is not an approval */
  assert_true(value_of(t.text, "paygw_credit_authorizations_total{outcome=\"approved\"}") == 2);
  assert_true(value_of(t.text, "paygw_credit_authorizations_total{outcome=\"declined\"}") == 1);
  assert_true(value_of(t.text, "paygw_credit_duplicates_total") == 1);
  assert_true(value_of(t.text, "paygw_credit_tls_handshake_failures_total{reason=\"timeout\"}") == 1);
  assert_true(value_of(t.text, "paygw_credit_tls_handshake_failures_total{reason=\"refused\"}") == 1);
  assert_true(value_of(t.text, "paygw_credit_tls_handshake_failures_total{reason=\"closed_early\"}") == 0);
  assert_true(value_of(t.text, "paygw_credit_processing_seconds_bucket{mti=\"0100\",le=\"0.005\"}") == 1);
  assert_true(value_of(t.text, "paygw_credit_processing_seconds_bucket{mti=\"0100\",le=\"0.25\"}") == 2);
  assert_true(value_of(t.text, "paygw_credit_processing_seconds_count{mti=\"0100\"}") == 2);
  assert_non_null(strstr(t.text, "# TYPE paygw_credit_processing_seconds histogram\n"));
  assert_non_null(strstr(t.text, "# TYPE paygw_credit_messages_total counter\n"));
  prom_text_free(&t);
}

static void test_address(void **state)
{
  (void)state;
  unsetenv("PAYGW_CREDIT_METRICS_ADDR");
  assert_int_equal(credit_metrics_start(), 0); /* off */
  setenv("PAYGW_CREDIT_METRICS_ADDR", "no-port", 1);
  assert_int_equal(credit_metrics_start(), -1);
  setenv("PAYGW_CREDIT_METRICS_ADDR", ":9", 1);
  assert_int_equal(credit_metrics_start(), -1);
  setenv("PAYGW_CREDIT_METRICS_ADDR", "127.0.0.1:0", 1); /* any free port */
  assert_int_equal(credit_metrics_start(), 0);
  credit_metrics_stop();
  unsetenv("PAYGW_CREDIT_METRICS_ADDR");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_counts_rendered),
    cmocka_unit_test(test_address),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
