/* test_fcgireq.c — unit tests for lib/fcgireq: query parameters (first
 * match, a prefix of another name, empty and too-long values, no '='),
 * the request ID passed on or made, and the path from DOCUMENT_URI or
 * REQUEST_URI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fcgireq/fcgireq.h"

#include <string.h>

static void test_query_param_found(void **state)
{
  char v[16];
  (void)state;
  assert_int_equal(fcgireq_query_param("wait=30&status=awaiting_device", "wait", v, sizeof v), 0);
  assert_string_equal(v, "30");
  assert_int_equal(fcgireq_query_param("wait=30&status=paid", "status", v, sizeof v), 0);
  assert_string_equal(v, "paid");
  assert_int_equal(fcgireq_query_param("a=1&a=2", "a", v, sizeof v), 0);
  assert_string_equal(v, "1"); /* the first one */
  assert_int_equal(fcgireq_query_param("failed=", "failed", v, sizeof v), 0);
  assert_string_equal(v, "");
}

static void test_query_param_absent(void **state)
{
  char v[4];
  (void)state;
  assert_int_equal(fcgireq_query_param("", "wait", v, sizeof v), -1);
  assert_int_equal(fcgireq_query_param("waiting=3", "wait", v, sizeof v), -1); /* a longer name */
  assert_int_equal(fcgireq_query_param("xwait=3", "wait", v, sizeof v), -1);
  assert_int_equal(fcgireq_query_param("wait", "wait", v, sizeof v), -1); /* no '=' */
  assert_int_equal(fcgireq_query_param("&&wait", "wait", v, sizeof v), -1);
  assert_int_equal(fcgireq_query_param("wait=1234", "wait", v, sizeof v), -1); /* 4 bytes do not fit in 4 */
  assert_int_equal(fcgireq_query_param("x=1&&wait=123", "wait", v, sizeof v), 0);
  assert_string_equal(v, "123");
}

static void test_request_id(void **state)
{
  char *given[] = { "REQUEST_ID=0123456789abcdef0123456789abcdef", NULL };
  char *short_id[] = { "REQUEST_ID=abc", NULL };
  char *none[] = { NULL };
  char a[FCGIREQ_ID_LEN + 1], b[FCGIREQ_ID_LEN + 1];
  (void)state;
  fcgireq_id(given, a);
  assert_string_equal(a, "0123456789abcdef0123456789abcdef");
  fcgireq_id(short_id, a);
  fcgireq_id(none, b);
  assert_int_equal(strlen(a), FCGIREQ_ID_LEN);
  assert_int_equal(strspn(a, "0123456789abcdef"), FCGIREQ_ID_LEN);
  assert_int_equal(strspn(b, "0123456789abcdef"), FCGIREQ_ID_LEN);
  assert_string_not_equal(a, b);
}

static void test_path(void **state)
{
  char *doc[] = { "DOCUMENT_URI=/v1/health", "REQUEST_URI=/v1/health?x=1", NULL };
  char *uri_only[] = { "REQUEST_URI=/shop/orders/ABCDEFGH/status?x=1", NULL };
  char *neither[] = { NULL };
  char p[64];
  (void)state;
  fcgireq_path(doc, p, sizeof p);
  assert_string_equal(p, "/v1/health");
  fcgireq_path(uri_only, p, sizeof p);
  assert_string_equal(p, "/shop/orders/ABCDEFGH/status");
  fcgireq_path(neither, p, sizeof p);
  assert_string_equal(p, "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_query_param_found),
    cmocka_unit_test(test_query_param_absent),
    cmocka_unit_test(test_request_id),
    cmocka_unit_test(test_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
