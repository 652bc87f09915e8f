/* test_validate.c — unit tests for the gateway's declarative body checks
 * and binding (validate.c): types, bounds, missing and nested members, what
 * a struct is filled with, tables that are wrong; RFC 3339 parsing and the
 * router's path matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/bodies.h"
#include "gateway/router.h"
#include "gateway/validate.h"

#include <string.h>

struct t_item {
  const char *name;
  int64_t quantity;
};

struct t_where {
  int64_t x;
  bool ok;
};

struct t_body {
  const char *user_id, *pin, *sig;
  bool agree;
  struct field_time at;
  struct t_item items[2];
  size_t n_items;
  struct t_where where;
};

static const struct field item_spec[] = {
  { .name = "name",
    .type = FIELD_STRING,
    .required = true,
    .min_len = 1,
    .max_len = 10,
    .offset = offsetof(struct t_item, name) },
  { .name = "quantity",
    .type = FIELD_INT,
    .required = true,
    .min = 1,
    .max = 999,
    .offset = offsetof(struct t_item, quantity) },
  { 0 },
};

static const struct field where_spec[] = {
  { .name = "x",
    .type = FIELD_INT,
    .required = true,
    .min = INT64_MIN,
    .max = INT64_MAX,
    .offset = offsetof(struct t_where, x) },
  { .name = "ok", .type = FIELD_BOOL, .offset = offsetof(struct t_where, ok) },
  { 0 },
};

static const struct field body_spec[] = {
  { .name = "user_id",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 1,
    .max_len = 8,
    .offset = offsetof(struct t_body, user_id) },
  { .name = "pin", .type = FIELD_DIGITS, .max_len = 6, .offset = offsetof(struct t_body, pin) },
  { .name = "agree", .type = FIELD_BOOL, .offset = offsetof(struct t_body, agree) },
  { .name = "sig", .type = FIELD_B64URL, .max_len = 100, .offset = offsetof(struct t_body, sig) },
  { .name = "at", .type = FIELD_TIME, .offset = offsetof(struct t_body, at) },
  { .name = "items",
    .type = FIELD_ARRAY,
    .min_len = 1,
    .max_len = 2,
    .members = item_spec,
    .offset = offsetof(struct t_body, items),
    .size = FIELD_SIZEOF(struct t_body, items),
    .item_size = sizeof(struct t_item),
    .count_offset = offsetof(struct t_body, n_items) },
  { .name = "where",
    .type = FIELD_OBJECT,
    .members = where_spec,
    .offset = offsetof(struct t_body, where),
    .size = sizeof(struct t_where) },
  { 0 },
};

static int check(const char *text, char *err)
{
  json_t *v = json_loads(text, 0, NULL);
  assert_non_null(v);
  struct t_body out;
  int rc = validate_object(v, body_spec, &out, "", err, 256);
  json_decref(v);
  return rc;
}

static void accepts_a_well_formed_body(void **state)
{
  char err[256];
  (void)state;
  assert_int_equal(check("{\"user_id\":\"00001\",\"pin\":\"123\",\"agree\":true,\"sig\":\"-_8\","
                         "\"at\":\"2026-11-25T08:00:00Z\",\"items\":[{\"name\":\"tea\",\"quantity\":2}]}",
                         err),
                   0);
  assert_int_equal(check("{\"user_id\":\"00001\",\"pin\":null}", err), 0); /* null = absent */
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
                         "{\"name\":\"y\",\"quantity\":1},{\"name\":\"z\",\"quantity\":1}]}",
                         err),
                   -1);
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
  assert_int_equal(parse_rfc3339("2026-11-25T08:00:00+09:00", &t), -1); /* UTC only */
  assert_int_equal(parse_rfc3339("2026-11-25 08:00:00Z", &t), -1);
  assert_int_equal(parse_rfc3339("2026-11-25T08:00:00.Z", &t), -1);
  assert_int_equal(parse_rfc3339("2026-11-25T24:00:00Z", &t), -1);
  assert_int_equal(parse_rfc3339("", &t), -1);
}

/* --- binding: what validate_object fills ------------------------------ */

/* Parses text, binds it into *out (which the caller preset) and keeps the
 * document in *doc, which the bound strings point into. */
static int bind(const char *text, struct t_body *out, json_t **doc, char *err)
{
  *doc = json_loads(text, 0, NULL);
  assert_non_null(*doc);
  return validate_object(*doc, body_spec, out, "", err, 256);
}

static void binds_every_type(void **state)
{
  struct t_body b = { 0 };
  json_t *doc;
  char err[256];
  (void)state;
  assert_int_equal(bind("{\"user_id\":\"u1\",\"pin\":\"0042\",\"agree\":true,\"sig\":\"-_8\","
                        "\"at\":\"2026-11-25T08:00:00.5Z\",\"items\":[{\"name\":\"tea\",\"quantity\":2},"
                        "{\"name\":\"cup\",\"quantity\":999}],\"where\":{\"x\":-7,\"ok\":true}}",
                        &b, &doc, err),
                   0);
  assert_string_equal(b.user_id, "u1");
  assert_ptr_equal(b.user_id, json_string_value(json_object_get(doc, "user_id"))); /* no copy */
  assert_string_equal(b.pin, "0042"); /* digits stay text: leading zeros kept */
  assert_true(b.agree);
  assert_string_equal(b.sig, "-_8");
  assert_string_equal(b.at.text, "2026-11-25T08:00:00.5Z"); /* as sent, for a signature */
  assert_int_equal(b.at.at, 1795593600);
  assert_int_equal(b.n_items, 2);
  assert_string_equal(b.items[0].name, "tea");
  assert_int_equal(b.items[0].quantity, 2);
  assert_string_equal(b.items[1].name, "cup");
  assert_int_equal(b.items[1].quantity, 999);
  assert_int_equal(b.where.x, -7);
  assert_true(b.where.ok);
  json_decref(doc);
}

static void absent_or_null_keeps_what_the_caller_set(void **state)
{
  struct t_body b = { .pin = "default", .agree = true, .n_items = 77, .where = { .x = 5 } };
  json_t *doc;
  char err[256];
  (void)state;
  assert_int_equal(bind("{\"user_id\":\"u1\",\"pin\":null,\"where\":null}", &b, &doc, err), 0);
  assert_string_equal(b.pin, "default");
  assert_true(b.agree);
  assert_int_equal(b.n_items, 77); /* no array: the count is not touched */
  assert_int_equal(b.where.x, 5);
  assert_null(b.sig);
  json_decref(doc);
  /* false binds false over a default of true */
  assert_int_equal(bind("{\"user_id\":\"u1\",\"agree\":false,\"where\":{\"x\":0}}", &b, &doc, err), 0);
  assert_false(b.agree);
  assert_int_equal(b.where.x, 0);
  assert_false(b.where.ok);
  json_decref(doc);
}

static void wrong_types_are_named_by_path(void **state)
{
  struct t_body b = { 0 };
  json_t *doc;
  char err[256];
  (void)state;
  static const char *const cases[][2] = {
    { "{\"user_id\":true}", "user_id must be a string" },
    { "{\"user_id\":[\"a\"]}", "user_id must be a string" },
    { "{\"user_id\":\"a\",\"agree\":1}", "agree must be true or false" },
    { "{\"user_id\":\"a\",\"at\":1795593600}", "at must be a string" },
    { "{\"user_id\":\"a\",\"items\":\"tea\"}", "items must be an array" },
    { "{\"user_id\":\"a\",\"where\":[]}", "where must be an object" },
    { "{\"user_id\":\"a\",\"where\":{\"x\":\"1\"}}", "where.x must be an integer" },
    { "{\"user_id\":\"a\",\"where\":{\"x\":1.0}}", "where.x must be an integer" },
    { "{\"user_id\":\"a\",\"where\":{\"x\":1,\"ok\":\"true\"}}", "where.ok must be true or false" },
    { "{\"user_id\":\"a\",\"where\":{\"x\":1,\"y\":2}}", "where.y is not a known field" },
    { "{\"user_id\":\"a\",\"items\":[{\"name\":5,\"quantity\":1}]}", "items[0].name must be a string" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    assert_int_equal(bind(cases[i][0], &b, &doc, err), -1);
    assert_string_equal(err, cases[i][1]);
    json_decref(doc);
  }
}

static void bounds_are_inclusive(void **state)
{
  struct t_body b = { 0 };
  json_t *doc;
  char err[256];
  (void)state;
  assert_int_equal(bind("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":1}]}", &b, &doc, err), 0);
  json_decref(doc);
  assert_int_equal(bind("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":999}]}", &b, &doc, err), 0);
  json_decref(doc);
  assert_int_equal(bind("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":1000}]}", &b, &doc, err), -1);
  assert_string_equal(err, "items[0].quantity must be between 1 and 999, got 1000");
  json_decref(doc);
  assert_int_equal(bind("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":-1}]}", &b, &doc, err), -1);
  assert_string_equal(err, "items[0].quantity must be between 1 and 999, got -1");
  json_decref(doc);
  /* the extremes of int64 bind whole */
  assert_int_equal(bind("{\"user_id\":\"a\",\"where\":{\"x\":-9223372036854775808}}", &b, &doc, err), 0);
  assert_true(b.where.x == INT64_MIN);
  json_decref(doc);
  assert_int_equal(bind("{\"user_id\":\"a\",\"where\":{\"x\":9223372036854775807}}", &b, &doc, err), 0);
  assert_true(b.where.x == INT64_MAX);
  json_decref(doc);
  /* text: 8 characters is the most, the empty string less than the least */
  assert_int_equal(bind("{\"user_id\":\"12345678\"}", &b, &doc, err), 0);
  json_decref(doc);
  assert_int_equal(bind("{\"user_id\":\"\"}", &b, &doc, err), -1);
  assert_string_equal(err, "user_id must be 1 to 8 characters long, got 0");
  json_decref(doc);
}

static void missing_required_members_are_named(void **state)
{
  struct t_body b = { 0 };
  json_t *doc;
  char err[256];
  (void)state;
  assert_int_equal(bind("{\"user_id\":null}", &b, &doc, err), -1);
  assert_string_equal(err, "user_id is required");
  json_decref(doc);
  assert_int_equal(
      bind("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":1},{\"name\":\"y\"}]}", &b, &doc, err), -1);
  assert_string_equal(err, "items[1].quantity is required");
  json_decref(doc);
  assert_int_equal(bind("{\"user_id\":\"a\",\"where\":{}}", &b, &doc, err), -1);
  assert_string_equal(err, "where.x is required");
  json_decref(doc);
}

/* A table whose array has less room than max_len says so (a bug, -2)
 * rather than write past the struct. */
struct t_small {
  struct t_item items[1];
  size_t n;
};

static const struct field small_spec[] = {
  { .name = "items",
    .type = FIELD_ARRAY,
    .max_len = 3,
    .members = item_spec,
    .offset = offsetof(struct t_small, items),
    .size = FIELD_SIZEOF(struct t_small, items),
    .item_size = sizeof(struct t_item),
    .count_offset = offsetof(struct t_small, n) },
  { 0 },
};

static void oversized_arrays_never_overflow(void **state)
{
  struct t_small s = { .n = 9 };
  struct t_body b = { 0 };
  json_t *doc;
  char err[256];
  (void)state;
  doc = json_loads("{\"items\":[{\"name\":\"a\",\"quantity\":1},{\"name\":\"b\",\"quantity\":1}]}", 0, NULL);
  assert_int_equal(validate_object(doc, small_spec, &s, "", err, sizeof err), -2);
  assert_string_equal(err, "the table gives items room for 1 items, fewer than 2");
  assert_int_equal(s.n, 9);                                                         /* nothing bound past the room */
  assert_int_equal(validate_object(doc, small_spec, NULL, "", err, sizeof err), 0); /* checking only */
  json_decref(doc);
  assert_non_null(validate_spec_problem(small_spec, sizeof(struct t_small)));
  /* more items than max_len is bad input, answered before any binding */
  assert_int_equal(bind("{\"user_id\":\"a\",\"items\":[{\"name\":\"x\",\"quantity\":1},{\"name\":\"y\",\"quantity\":1},"
                        "{\"name\":\"z\",\"quantity\":1}]}",
                        &b, &doc, err),
                   -1);
  assert_string_equal(err, "items must have 1 to 2 items, got 3");
  assert_int_equal(b.n_items, 0);
  json_decref(doc);
  /* a long text is refused by its length, whatever its size in bytes */
  assert_int_equal(bind("{\"user_id\":\"a\",\"items\":[{\"name\":"
                        "\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\","
                        "\"quantity\":1}]}",
                        &b, &doc, err),
                   -1);
  assert_string_equal(err, "items[0].name must be 1 to 10 characters long, got 11");
  json_decref(doc);
}

/* --- the tables' own rules --------------------------------------------- */

static void every_endpoint_table_keeps_the_rules(void **state)
{
  (void)state;
  assert_null(validate_spec_problem(body_spec, sizeof(struct t_body)));
  assert_null(validate_spec_problem(transaction_spec, sizeof(struct transaction_body)));
  assert_null(validate_spec_problem(device_auth_spec, sizeof(struct device_auth_body)));
  assert_null(validate_spec_problem(confirmation_spec, sizeof(struct confirmation_body)));
  assert_null(validate_spec_problem(method_spec, sizeof(struct method_body)));
  assert_null(validate_spec_problem(cancel_spec, sizeof(struct cancel_body)));
  assert_null(validate_spec_problem(refund_spec, sizeof(struct refund_body)));
}

static void a_wrong_table_is_caught(void **state)
{
  (void)state;
  /* a row whose .offset was left out fills the first member's bytes */
  static const struct field forgot_offset[] = {
    { .name = "user_id", .type = FIELD_CODE, .offset = offsetof(struct t_body, user_id) },
    { .name = "pin", .type = FIELD_DIGITS },
    { 0 },
  };
  assert_string_equal(validate_spec_problem(forgot_offset, sizeof(struct t_body)),
                      "fields user_id and pin fill the same bytes (an .offset left out?)");
  static const struct field no_size[] = {
    { .name = "where", .type = FIELD_OBJECT, .members = where_spec, .offset = offsetof(struct t_body, where) },
    { 0 },
  };
  assert_string_equal(validate_spec_problem(no_size, sizeof(struct t_body)),
                      "field where: an object or array row needs members and a size");
  static const struct field upside_down[] = {
    { .name = "n", .type = FIELD_INT, .min = 5, .max = 1 },
    { 0 },
  };
  assert_string_equal(validate_spec_problem(upside_down, sizeof(int64_t)), "field n: min is over max");
  static const struct field outside[] = {
    { .name = "x", .type = FIELD_INT, .max = 1, .offset = sizeof(struct t_where) },
    { 0 },
  };
  assert_string_equal(validate_spec_problem(outside, sizeof(struct t_where)),
                      "field x: its member lies outside the struct");
  static const struct field twice[] = {
    { .name = "x", .type = FIELD_INT, .max = 1, .offset = offsetof(struct t_where, x) },
    { .name = "x", .type = FIELD_BOOL, .offset = offsetof(struct t_where, ok) },
    { 0 },
  };
  assert_string_equal(validate_spec_problem(twice, sizeof(struct t_where)), "field x: the name is used twice");
  /* an inner table is checked too, and named */
  static const struct field bad_inner[] = {
    { .name = "x", .type = FIELD_INT, .min = 2, .max = 1, .offset = offsetof(struct t_where, x) },
    { 0 },
  };
  static const struct field outer[] = {
    { .name = "where",
      .type = FIELD_OBJECT,
      .members = bad_inner,
      .offset = offsetof(struct t_body, where),
      .size = sizeof(struct t_where) },
    { 0 },
  };
  assert_string_equal(validate_spec_problem(outer, sizeof(struct t_body)), "field x: min is over max");
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
    cmocka_unit_test(binds_every_type),
    cmocka_unit_test(absent_or_null_keeps_what_the_caller_set),
    cmocka_unit_test(wrong_types_are_named_by_path),
    cmocka_unit_test(bounds_are_inclusive),
    cmocka_unit_test(missing_required_members_are_named),
    cmocka_unit_test(oversized_arrays_never_overflow),
    cmocka_unit_test(every_endpoint_table_keeps_the_rules),
    cmocka_unit_test(a_wrong_table_is_caught),
    cmocka_unit_test(router_matches_patterns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
