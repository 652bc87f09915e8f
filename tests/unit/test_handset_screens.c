/* test_handset_screens.c — the handset's screens: figure 16 shows shop,
 * items, tax, total and binding code; figure 17 numbers the methods with
 * their installment counts; a chosen method is checked against the offer. */
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

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(details_screen),
    cmocka_unit_test(token_screen),
    cmocka_unit_test(methods_screen),
    cmocka_unit_test(method_choice_checked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
