/* test_validate.c — unit tests for the gateway's declarative body checks
 * (validate.c), RFC 3339 parsing and the router's path matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/router.h"
#include "gateway/validate.h"

#include <string.h>

static const struct field item_spec[] = {
  { "name", FIELD_STRING, .required = true, .min_len = 1, .max_len = 10 },
  { "quantity", FIELD_INT, .required = true, .min = 1, .max = 999 },
  { 0 }
};

static const struct field body_spec[] = {
  { "user_id", FIELD_CODE, .required = true, .min_len = 1, .max_len = 8 },
  { "pin", FIELD_DIGITS, .max_len = 6 },
  { "agree", FIELD_BOOL },
  { "sig", FIELD_B64URL, .max_len = 100 },
  { "at", FIELD_TIME },
  { "items", FIELD_ARRAY, .min_len = 1, .max_len = 2, .members = item_spec },
  { 0 }
};

static int check(const char *text, char *err)
{
  json_t *v = json_loads(text, 0, NULL);
  assert_non_null(v);
  int rc = validate_object(v, body_spec, "", err, 256);
  json_decref(v);
  return rc;
}

static void accepts_a_well_formed_body(void **state)
{
  char err[256];
  (void)state;
  assert_int_equal(check("{\"user_id\":\"00001\",\"pin\":\"123\",\"agree\":true,\"sig\":\"-_8\","
                         "\"at\":\"2026-11-25T08:00:00Z\",\"items\":[{\"name\":\"tea\",\"quantity\":2}]}", err), 0);
  assert_int_equal(check("{\"user_id\":\"00001\",\"pin\":null}", err), 0);   /* null = absent */
}

static void names_the_offending_field(void **state)
{
  char err[256];
  (void)state;
  assert_int_equal(check("{}", err), -1);
  assert_string_equal(err, "user_id is required");
  assert_int_equal(check("{\"user_id\":5}", err), -1);
  assert_string_equal(err, "user_id must be a string");
  assert_int_equal(check("{\"user_id\":\"123456789\"}", err), -1);
  assert_string_equal(err, "user_id must be 1 to 8 characters long, got 9");
  assert_int_equal(check("{\"user_id\":\"a b\"}", err), -1);
  assert_non_null(strstr(err, "user_id must be only letters"));
  assert_int_equal(check("{\"user_id\":\"a\",\"pin\":\"12a\"}", err), -1);
  assert_string_equal(err, "pin must be only digits");
  assert_int_equal(check("{\"user_id\":\"a\",\"agree\":\"yes\"}", err), -1);
  assert_string_equal(err, "agree must be true or false");
  assert_int_equal(check("{\"user_id\":\"a\",\"extra\":1}", err), -1);
  assert_string_equal(err, "extra is not a known field");
  assert_int_equal(check("{\"user_id\":\"a\",\"sig\":\"ab+/\"}", err), -1);
  assert_string_equal(err, "sig must be base64url text");
  assert_int_equal(check("{\"user_id\":\"a\",\"at\":\"2026-13-01T00:00:00Z\"}", err), -1);
  assert_string_equal(err, "at must be an RFC 3339 UTC time");
}

static void checks_arrays_and_their_items(void **state)
{
  char err[256];
  (void)state;
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[]}", err), -1);
  assert_string_equal(err, "items must have 1 to 2 items, got 0");
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":1},"
                         "{\"name\":\"y\",\"quantity\":1},{\"name\":\"z\",\"quantity\":1}]}", err), -1);
  assert_string_equal(err, "items must have 1 to 2 items, got 3");
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":0}]}", err), -1);
  assert_string_equal(err, "items[0].quantity must be between 1 and 999, got 0");
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":1.5}]}", err), -1);
  assert_string_equal(err, "items[0].quantity must be an integer");
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":1,\"p\":1}]}", err), -1);
  assert_string_equal(err, "items[0].p is not a known field");
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[7]}", err), -1);
  assert_string_equal(err, "items[0] must be an object");
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":{}}", err), -1);
  assert_string_equal(err, "items must be an array");
}

static void counts_characters_not_bytes(void **state)
{
  char err[256];
  (void)state;
  /* ten characters of which some take 3 bytes in UTF-8 */
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[{\"name\":\"\u7d05\u8336abcdefgh\",\"quantity\":1}]}", err), 0);
  assert_int_equal(check("{\"user_id\":\"a\",\"items\":[{\"name\":\"tab\\there\",\"quantity\":1}]}", err), -1);
  assert_string_equal(err, "items[0].name must be printable text");
}

static void parses_rfc3339_utc(void **state)
{
  int64_t t;
  (void)state;
  assert_int_equal(parse_rfc3339("1970-01-01T00:00:00Z", &t), 0);
  assert_int_equal(t, 0);
  assert_int_equal(parse_rfc3339("2026-11-25T08:00:00.123Z", &t), 0);
  assert_int_equal(t, 1795593600);
  assert_int_equal(parse_rfc3339("2026-11-25T08:00:00+09:00", &t), -1);  /* UTC only */
  assert_int_equal(parse_rfc3339("2026-11-25 08:00:00Z", &t), -1);
  assert_int_equal(parse_rfc3339("2026-11-25T08:00:00.Z", &t), -1);
  assert_int_equal(parse_rfc3339("2026-11-25T24:00:00Z", &t), -1);
  assert_int_equal(parse_rfc3339("", &t), -1);
}

static void router_matches_patterns(void **state)
{
  char p[65];
  (void)state;
  assert_int_equal(router_match("/v1/health", "/v1/health", p, sizeof p), 0);
  assert_int_equal(router_match("/v1/health", "/v1/health/", p, sizeof p), -1);
  assert_int_equal(router_match("/v1/health", "/v1/healt", p, sizeof p), -1);
  assert_int_equal(router_match("/v1/transactions/{number}", "/v1/transactions/T123", p, sizeof p), 0);
  assert_string_equal(p, "T123");
  assert_int_equal(router_match("/v1/transactions/{number}/cancel", "/v1/transactions/T9/cancel", p, sizeof p), 0);
  assert_string_equal(p, "T9");
  assert_int_equal(router_match("/v1/transactions/{number}", "/v1/transactions/", p, sizeof p), -1);
  assert_int_equal(router_match("/v1/transactions/{number}", "/v1/transactions/a/b", p, sizeof p), -1);
  assert_int_equal(router_match("/v1/transactions/{number}", "/v1/transactions/0123456789", p, 5), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(accepts_a_well_formed_body),
    cmocka_unit_test(names_the_offending_field),
    cmocka_unit_test(checks_arrays_and_their_items),
    cmocka_unit_test(counts_characters_not_bytes),
    cmocka_unit_test(parses_rfc3339_utc),
    cmocka_unit_test(router_matches_patterns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
