/* test_handset_screens.c — the handset's screens: figure 16 shows shop,
 * items, tax, total and binding code; figure 17 numbers the methods with
 * their installment counts; a chosen method is checked against the offer;
 * a refund message is shown with its amounts, its shop's text made safe,
 * and not at all when a part is out of its form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handset-client/screens.h"

static char *render(void (*fn)(FILE *, const json_t *), const json_t *j)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fn(f, j);
  fclose(f);
  return buf;
}

static void screen_methods_void(FILE *f, const json_t *j)
{
  screen_methods(f, j);
}

static const char *details_json =
    "{\"transaction\": \"7KQ2M9XW4T1BZC3D\", \"status\": \"awaiting_confirmation\", \"session\": \"s\","
    " \"merchant\": {\"code\": \"1111111111\", \"name\": \"A\"}, \"shop\": \"Shop A Ginza\","
    " \"items\": [{\"name\": \"Coffee beans\", \"quantity\": 2, \"unit_price\": 1200, \"tax\": 192},"
    "           {\"name\": \"Mug\", \"quantity\": 1, \"unit_price\": 800, \"tax\": 64}],"
    " \"tax_total\": 256, \"total\": 3456, \"currency\": \"JPY\", \"binding_code\": \"K7QX\","
    " \"card\": {\"label\": \"Card A\", \"masked\": \"152500******5678\"}, \"confirm_by\": \"2026-11-25T09:02:00Z\"}";

static const char *methods_json = "[{\"method\": \"L\", \"name\": \"lump sum\"},"
                                  " {\"method\": \"I\", \"name\": \"installments\", \"installments\": [3, 6, 12]},"
                                  " {\"method\": \"R\", \"name\": \"revolving\"}]";

static void details_screen(void **state)
{
  (void)state;
  json_t *d = json_loads(details_json, 0, NULL);
  char *text = render(screen_details, d);
  assert_non_null(strstr(text, "Shop A Ginza"));
  assert_non_null(strstr(text, "K7QX"));
  assert_non_null(strstr(text, "Coffee beans"));
  assert_non_null(strstr(text, "1,200"));
  assert_non_null(strstr(text, "Tax:           256 JPY"));
  assert_non_null(strstr(text, "Total:         3,456 JPY"));
  assert_non_null(strstr(text, "152500******5678"));
  free(text);
  json_decref(d);
}

/* The second embodiment's token_confirmation (docs/handset.md). */
static void token_screen(void **state)
{
  (void)state;
  json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:i, s:i, s:i}], s:s, s:i, s:i, s:s, s:s}", "kind",
                        "token_confirmation", "token", "tk_AAAAAAAAAAAAAAAAAAAAAA", "user_id", "00001", "device_id",
                        "1234567", "merchant", "1111111111", "shop", "Shop A Ginza", "items", "name", "Rice cooker",
                        "quantity", 1, "unit_price", 24000, "tax", 2400, "currency", "JPY", "total", 26400, "tax_total",
                        2400, "binding_code", "ETWP", "reply_deadline", "2026-12-05T10:02:00Z");
  char *text = render(screen_token, m);
  assert_non_null(strstr(text, "Shop:          Shop A Ginza (merchant 1111111111)"));
  assert_non_null(strstr(text, "Binding code:  ETWP"));
  assert_non_null(strstr(text, "Request:       tk_AAAAAAAAAAAAAAAAAAAAAA"));
  assert_non_null(strstr(text, "Rice cooker"));
  assert_non_null(strstr(text, "24,000"));
  assert_non_null(strstr(text, "Tax:           2,400 JPY"));
  assert_non_null(strstr(text, "Total:         26,400 JPY"));
  assert_non_null(strstr(text, "Answer by:     2026-12-05T10:02:00Z"));
  assert_null(strstr(text, "Card:")); /* the handset names no card for a token */
  free(text);
  json_decref(m);
}

static void methods_screen(void **state)
{
  (void)state;
  json_t *m = json_loads(methods_json, 0, NULL);
  char *text = render(screen_methods_void, m);
  assert_non_null(strstr(text, "[1] L   lump sum"));
  assert_non_null(strstr(text, "[2] I   installments (3, 6, 12 payments)"));
  assert_non_null(strstr(text, "[3] R   revolving"));
  assert_string_equal(method_at(m, 2), "I");
  assert_null(method_at(m, 0));
  assert_null(method_at(m, 4));
  free(text);
  json_decref(m);
}

static void method_choice_checked(void **state)
{
  char err[200];
  (void)state;
  json_t *m = json_loads(methods_json, 0, NULL);
  assert_int_equal(method_check(m, "L", 0, err, sizeof err), 0);
  assert_int_equal(method_check(m, "I", 6, err, sizeof err), 0);
  assert_int_equal(method_check(m, "I", 0, err, sizeof err), -1);
  assert_non_null(strstr(err, "3, 6, 12"));
  assert_int_equal(method_check(m, "I", 5, err, sizeof err), -1);
  assert_int_equal(method_check(m, "L", 3, err, sizeof err), -1);
  assert_int_equal(method_check(m, "B", 0, err, sizeof err), -1);
  assert_non_null(strstr(err, "offered: L, I, R"));
  json_decref(m);
}

static const char *refund_json =
    "{\"kind\": \"refund\", \"refund\": \"rf_AbCdEfGhIjKlMnOpQrStUv\", \"transaction\": \"6YRGSSXT9TYDM6FT\","
    " \"user_id\": \"00001\", \"refund_kind\": \"refund\", \"amount\": 300, \"currency\": \"JPY\","
    " \"refunded\": 600, \"total\": 1000, \"merchant\": \"1111111111\", \"shop\": \"Shop A \\u001b[2JGinza\","
    " \"issued_at\": \"2026-12-05T10:00:00Z\"}";

static char *refund_screen_of(const json_t *m, int *rc)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  *rc = screen_refund(f, m);
  fclose(f);
  return buf;
}

static void refund_screen(void **state)
{
  int rc;
  (void)state;
  json_t *m = json_loads(refund_json, 0, NULL);
  assert_non_null(m);
  assert_true(refund_message_valid(m));
  char *out = refund_screen_of(m, &rc);
  assert_int_equal(rc, 0);
  assert_non_null(
      strstr(out, "Shop:          Shop A ?[2JGinza (merchant 1111111111)\n")); /* no escape reaches the terminal */
  assert_non_null(strstr(out, "Transaction:   6YRGSSXT9TYDM6FT\n"));
  assert_non_null(strstr(out, "Refund:        rf_AbCdEfGhIjKlMnOpQrStUv (refund)\n"));
  assert_non_null(strstr(out, "Amount back:   300 JPY\n"));
  assert_non_null(strstr(out, "Refunded:      600 of 1,000 JPY\n"));
  assert_non_null(strstr(out, "At:            2026-12-05T10:00:00Z\n"));
  free(out);

  json_object_set_new(m, "refund_kind", json_string("void"));
  json_object_set_new(m, "amount", json_integer(1000));
  json_object_set_new(m, "refunded", json_integer(1000));
  json_object_set_new(m, "currency", json_string("USD"));
  out = refund_screen_of(m, &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(out, "(void: the payment canceled)"));
  assert_non_null(strstr(out, "Amount back:   10.00 USD\n"));
  assert_non_null(strstr(out, "Refunded:      10.00 of 10.00 USD\n"));
  free(out);
  json_decref(m);

  /* each part out of its form: not shown at all */
  static const char *const broken[][2] = {
    { "refund", "\"tk_x\"" },  { "refund_kind", "\"sale\"" },
    { "currency", "\"XXX\"" }, { "amount", "0" },
    { "amount", "\"300\"" },   { "refunded", "200" }, /* amount > refunded */
    { "total", "500" },        /* refunded > total */ { "transaction", "\"\"" },
  };
  for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
    m = json_loads(refund_json, 0, NULL);
    json_object_set_new(m, broken[i][0], json_loads(broken[i][1], JSON_DECODE_ANY, NULL));
    assert_false(refund_message_valid(m));
    out = refund_screen_of(m, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(out, "");
    free(out);
    json_decref(m);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(details_screen),        cmocka_unit_test(token_screen),  cmocka_unit_test(methods_screen),
    cmocka_unit_test(method_choice_checked), cmocka_unit_test(refund_screen),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
