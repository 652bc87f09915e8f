/* test_shop.c — unit tests for the demo shop's pure logic (cgi/shop):
 * order codes (drawn from the alphabet, normalised from any case with or
 * without the dash, shown ABCD-EFGH), form bodies, tax and totals in
 * integer minor units, the session cookie, and the user-ID rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shop/cookies.h"
#include "web/form.h"
#include "shop/cart_view.h"
#include "shop/settings.h"
#include "web/money.h"
#include "shop/order_code.h"
#include "shop/user_submit.h"
#include "shop/refund_view.h"

#include <stdio.h>
#include <string.h>

static void order_codes_come_from_the_alphabet(void **state)
{
  char code[ORDER_CODE_LEN + 1], other[ORDER_CODE_LEN + 1];
  int seen[256] = { 0 };
  (void)state;

  for (int i = 0; i < 2000; i++) {
    assert_int_equal(order_code_new(code), 0);
    assert_int_equal(strlen(code), ORDER_CODE_LEN);
    for (int j = 0; j < ORDER_CODE_LEN; j++) {
      assert_non_null(strchr(ORDER_CODE_ALPHABET, code[j]));
      seen[(unsigned char)code[j]]++;
    }
  }
  /* every symbol turns up (16000 draws of 31 symbols), none of 0 1 I L O */
  for (const char *c = ORDER_CODE_ALPHABET; *c; c++)
    assert_true(seen[(unsigned char)*c] > 0);
  assert_int_equal(seen['0'] + seen['1'] + seen['I'] + seen['L'] + seen['O'], 0);
  order_code_new(other);
  assert_string_not_equal(code, other);
}

static void order_codes_are_normalised(void **state)
{
  char out[ORDER_CODE_LEN + 1];
  (void)state;

  assert_int_equal(order_code_normalise("ABCD-EFGH", out), 0);
  assert_string_equal(out, "ABCDEFGH");
  assert_int_equal(order_code_normalise("abcdefgh", out), 0);
  assert_string_equal(out, "ABCDEFGH");
  assert_int_equal(order_code_normalise("k7qx-m9ht", out), 0);
  assert_string_equal(out, "K7QXM9HT");
  assert_int_equal(order_code_normalise("ABCDEFG", out), -1);   /* short */
  assert_int_equal(order_code_normalise("ABCDEFGHJ", out), -1); /* long */
  assert_int_equal(order_code_normalise("ABC-DEFGH", out), -1); /* dash elsewhere */
  assert_int_equal(order_code_normalise("ABCD-EFG-", out), -1);
  assert_int_equal(order_code_normalise("ABCDEFG0", out), -1); /* 0 is not in it */
  assert_int_equal(order_code_normalise("ABCDEFGI", out), -1); /* nor I, L, O, 1 */
  assert_int_equal(order_code_normalise("abcdefgl", out), -1);
  assert_int_equal(order_code_normalise("ABCD EFGH", out), -1);
  assert_int_equal(order_code_normalise("", out), -1);
  assert_int_equal(order_code_normalise(NULL, out), -1);
}

static void order_codes_are_shown_with_a_dash(void **state)
{
  char shown[ORDER_CODE_LEN + 2];
  (void)state;

  order_code_display("ABCDEFGH", shown);
  assert_string_equal(shown, "ABCD-EFGH");
}

static void forms_are_parsed(void **state)
{
  struct form f;
  const char *body = "csrf=ab12&item=3&quantity=2&add=1&user_id=0000%31&note=a+b%26c%3D&empty=&flag";
  (void)state;

  assert_int_equal(form_parse(&f, body, strlen(body)), 0);
  assert_string_equal(form_get(&f, "csrf"), "ab12");
  assert_string_equal(form_get(&f, "item"), "3");
  assert_string_equal(form_get(&f, "user_id"), "00001");
  assert_string_equal(form_get(&f, "note"), "a b&c=");
  assert_string_equal(form_get(&f, "empty"), "");
  assert_string_equal(form_get(&f, "flag"), "");
  assert_null(form_get(&f, "missing"));
  form_free(&f);

  assert_int_equal(form_parse(&f, "a=1&a=2", 7), 0); /* the first counts */
  assert_string_equal(form_get(&f, "a"), "1");
  form_free(&f);
  assert_int_equal(form_parse(&f, "", 0), 0);
  assert_int_equal(f.n, 0);
  form_free(&f);
}

static void bad_forms_are_refused(void **state)
{
  struct form f;
  char many[400] = "";
  (void)state;

  assert_int_equal(form_parse(&f, "a=%4", 4), -1);   /* cut escape */
  assert_int_equal(form_parse(&f, "a=%zz", 5), -1);  /* not hex */
  assert_int_equal(form_parse(&f, "a=%00", 5), -1);  /* a NUL */
  assert_int_equal(form_parse(&f, "a=b\0c", 5), -1); /* a raw NUL */
  for (int i = 0; i < FORM_MAX_FIELDS + 1; i++)
    snprintf(many + strlen(many), sizeof many - strlen(many), "f%d=1&", i);
  assert_int_equal(form_parse(&f, many, strlen(many)), -1);
  form_free(&f);
}

static void tax_is_rounded_down_per_line(void **state)
{
  (void)state;
  assert_int_equal(money_line_tax(980, 1, 8), 78);  /* 78.4 */
  assert_int_equal(money_line_tax(980, 2, 8), 156); /* 156.8 */
  assert_int_equal(money_line_tax(1800, 1, 10), 180);
  assert_int_equal(money_line_tax(999, 3, 10), 299); /* 299.7 */
  assert_int_equal(money_line_tax(0, 5, 10), 0);
  assert_int_equal(money_line_tax(1, 1, 8), 0);
  assert_int_equal(money_line_tax(10000000, 99, 10), 99000000);
  assert_int_equal(money_line_tax(-1, 1, 8), -1);
  assert_int_equal(money_line_tax(1, -1, 8), -1);
  assert_int_equal(money_line_tax(INT64_MAX / 2, 3, 10), -1); /* would not fit */
}

static void totals_add_up(void **state)
{
  struct money_totals t = { 0 };
  (void)state;

  assert_int_equal(money_add_line(&t, 980, 2, 156), 0);
  assert_int_equal(money_add_line(&t, 1800, 1, 180), 0);
  assert_int_equal(t.subtotal, 3760);
  assert_int_equal(t.tax_total, 336);
  assert_int_equal(t.total, 4096);
  struct money_totals before = t;
  assert_int_equal(money_add_line(&t, 999999999999LL, 1, 0), -1); /* past 12 digits */
  assert_memory_equal(&t, &before, sizeof t);
  assert_int_equal(money_add_line(&t, -5, 1, 0), -1);
}

/* the one wrapper of the cart's and the order's pages: the shop's currency,
 * grouped, as a JSON string */
static void amounts_are_grouped(void **state)
{
  static const struct {
    const char *currency;
    int64_t minor;
    const char *text;
  } cases[] = { { "JPY", 0, "0" },          { "JPY", 999, "999" },
                { "JPY", 1000, "1,000" },   { "JPY", 1234567, "1,234,567" },
                { "JPY", -4096, "-4,096" }, { "USD", 123456, "1,234.56" } };
  const char *saved = shop_settings.currency;
  (void)state;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    shop_settings.currency = cases[i].currency;
    json_t *j = shop_amount_json(cases[i].minor);
    assert_string_equal(json_string_value(j), cases[i].text);
    json_decref(j);
  }
  shop_settings.currency = saved;
}

static void the_session_cookie_is_found(void **state)
{
  char v[64];
  const char *token = "0123456789abcdef0123456789abcdef";
  char header[200];
  (void)state;

  snprintf(header, sizeof header, "theme=dark; __Host-shop_session=%s; other=1", token);
  assert_int_equal(cookie_get(header, SESSION_COOKIE, v, sizeof v), 0);
  assert_string_equal(v, token);
  assert_true(cookie_token_wellformed(v));
  assert_int_equal(cookie_get("__Host-shop_session=\"abc\"", SESSION_COOKIE, v, sizeof v), 0);
  assert_string_equal(v, "abc");
  assert_int_equal(cookie_get("x__Host-shop_session=abc", SESSION_COOKIE, v, sizeof v), -1); /* another name */
  assert_int_equal(cookie_get("__Host-shop_session=", SESSION_COOKIE, v, sizeof v), -1);
  assert_int_equal(cookie_get("a=1;__Host-shop_session=first; __Host-shop_session=second", SESSION_COOKIE, v, sizeof v),
                   0);
  assert_string_equal(v, "first");
  assert_int_equal(cookie_get(NULL, SESSION_COOKIE, v, sizeof v), -1);
  assert_int_equal(cookie_get("__Host-shop_session=0123456789", SESSION_COOKIE, v, 5), -1); /* does not fit */
  assert_false(cookie_token_wellformed("0123456789ABCDEF0123456789abcdef"));                /* upper case */
  assert_false(cookie_token_wellformed("0123456789abcdef"));
}

static void the_cookie_line_has_every_attribute(void **state)
{
  char line[200];
  (void)state;

  cookie_session_line("00ff", line, sizeof line);
  assert_string_equal(line, "Set-Cookie: __Host-shop_session=00ff; Path=/; Secure; HttpOnly; SameSite=Lax");
}

static void user_ids_follow_the_gateway_rule(void **state)
{
  (void)state;
  assert_true(user_id_wellformed("00001"));
  assert_true(user_id_wellformed("a_B-9"));
  assert_true(user_id_wellformed("12345678901234567890123456789012"));
  assert_false(user_id_wellformed("123456789012345678901234567890123")); /* 33 */
  assert_false(user_id_wellformed(""));
  assert_false(user_id_wellformed(NULL));
  assert_false(user_id_wellformed("0000 1"));
  assert_false(user_id_wellformed("<script>"));
}

static void refund_forms_are_checked(void **state)
{
  int64_t v = -1;
  char key[REFUND_KEY_LEN + 1], other[REFUND_KEY_LEN + 1];
  (void)state;

  assert_int_equal(refund_amount_parse("300", 1000, &v), 0);
  assert_int_equal(v, 300);
  assert_int_equal(refund_amount_parse("1000", 1000, &v), 0);
  assert_int_equal(v, 1000);
  static const char *const bad[] = { "", "0", "0300", "-1", "+5", "1001", "3.5", "1e3", " 30", "30 ", "1234567890123" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    v = -1;
    assert_int_equal(refund_amount_parse(bad[i], 1000, &v), -1);
    assert_int_equal(v, -1); /* nothing stored */
  }
  assert_int_equal(refund_amount_parse(NULL, 1000, &v), -1);

  assert_true(refund_reason_ok(NULL));
  assert_true(refund_reason_ok(""));
  assert_true(refund_reason_ok("damaged in transit"));
  assert_true(refund_reason_ok("破損")); /* characters, not bytes, are counted */
  char long_reason[700] = "";
  for (int i = 0; i < 200; i++)
    strcat(long_reason, "破");
  assert_true(refund_reason_ok(long_reason));
  strcat(long_reason, "x");
  assert_false(refund_reason_ok(long_reason));
  assert_false(refund_reason_ok("line\nbreak"));
  assert_false(refund_reason_ok("tab\there"));
  assert_false(refund_reason_ok("c1 \xc2\x85 control"));
  assert_false(refund_reason_ok("bad \xff utf-8"));

  assert_int_equal(refund_key_make(key), 0);
  assert_int_equal(refund_key_make(other), 0);
  assert_true(refund_key_ok(key));
  assert_string_not_equal(key, other); /* fresh for every form */
  assert_int_equal(strncmp(key, "shop-refund-", 12), 0);
  assert_true(strlen(key) <= 64); /* the gateway's Idempotency-Key: 1..64 of [A-Za-z0-9_-] */
  assert_false(refund_key_ok(NULL));
  assert_false(refund_key_ok("shop-refund-"));
  key[20] = 'G';
  assert_false(refund_key_ok(key));
  assert_false(refund_key_ok("order-ABCDEFGH"));
}

static void refunds_read_as_the_pages_show_them(void **state)
{
  struct refund_row rows[3] = { 0 };
  int64_t refunded = -1;
  const char *saved = shop_settings.currency;
  (void)state;

  shop_settings.currency = "JPY";
  assert_null(refund_order_state(0, 1000));
  assert_string_equal(refund_order_state(300, 1000), "partly_refunded");
  assert_string_equal(refund_order_state(1000, 1000), "refunded");
  assert_string_equal(refund_order_state_text("refunded"), "Refunded");
  assert_string_equal(refund_order_state_text("partly_refunded"), "Partly refunded");

  strcpy(rows[0].refund_id, "rf_AAAAAAAAAAAAAAAAAAAAAA");
  strcpy(rows[0].kind, "refund");
  rows[0].amount = 1200;
  strcpy(rows[0].status, "completed");
  strcpy(rows[0].reason, "<b>damaged</b>");
  rows[1] = rows[0];
  strcpy(rows[1].status, "declined");
  strcpy(rows[1].outcome_reason, "refund not allowed");
  rows[1].reason[0] = '\0';
  rows[2] = rows[0];
  strcpy(rows[2].kind, "void");
  strcpy(rows[2].status, "pending");
  rows[2].amount = 50;
  json_t *a = refund_rows_json(rows, 3, &refunded);
  assert_int_equal(json_array_size(a), 3);
  assert_int_equal(refunded, 1200); /* completed only */
  assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "amount")), "1,200");
  assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "reason")), "<b>damaged</b>");
  assert_true(json_is_null(json_object_get(json_array_get(a, 1), "reason")));
  assert_string_equal(json_string_value(json_object_get(json_array_get(a, 1), "status_text")), "Declined");
  assert_string_equal(json_string_value(json_object_get(json_array_get(a, 2), "kind_text")), "Void");
  json_decref(a);
  shop_settings.currency = saved;

  /* what the gateway tells of a refund, checked before the database sees it */
  struct refund_event ev = { .refund_id = "rf_AAAAAAAAAAAAAAAAAAAA-_", .kind = "void", .currency = "JPY", .amount = 1 };
  assert_true(refund_event_valid(&ev));
  ev.reason = "damaged";
  assert_true(refund_event_valid(&ev));
  struct refund_event bad_events[] = { ev, ev, ev, ev, ev, ev, ev };
  bad_events[0].refund_id = "rf_AAAA";
  bad_events[1].refund_id = "rx_AAAAAAAAAAAAAAAAAAAA-_";
  bad_events[2].kind = "chargeback";
  bad_events[3].amount = 0;
  bad_events[4].currency = "jpy";
  bad_events[5].reason = "";
  bad_events[6].refund_id = "rf_AAAAAAAAAAAAAAAAAAAA+/";
  for (size_t i = 0; i < sizeof bad_events / sizeof bad_events[0]; i++)
    assert_false(refund_event_valid(&bad_events[i]));

  /* every word a redirect writes has its notice; others none */
  static const char *const words[] = { "completed",  "pending",     "declined",     "failed",
                                       "too_much",   "not_paid",    "sent_already", "bad_amount",
                                       "bad_reason", "unreachable", "refused" };
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    assert_non_null(refund_result_text(words[i]));
  assert_null(refund_result_text("<script>"));
  assert_null(refund_result_text(NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(order_codes_come_from_the_alphabet),
    cmocka_unit_test(order_codes_are_normalised),
    cmocka_unit_test(order_codes_are_shown_with_a_dash),
    cmocka_unit_test(forms_are_parsed),
    cmocka_unit_test(bad_forms_are_refused),
    cmocka_unit_test(tax_is_rounded_down_per_line),
    cmocka_unit_test(totals_add_up),
    cmocka_unit_test(amounts_are_grouped),
    cmocka_unit_test(the_session_cookie_is_found),
    cmocka_unit_test(the_cookie_line_has_every_attribute),
    cmocka_unit_test(user_ids_follow_the_gateway_rule),
    cmocka_unit_test(refund_forms_are_checked),
    cmocka_unit_test(refunds_read_as_the_pages_show_them),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
