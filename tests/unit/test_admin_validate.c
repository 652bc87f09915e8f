/* test_admin_validate.c — unit tests of admin/validate.c, paygw-admin's
 * input rules: codes and names, range bounds, payment methods, installment
 * counts, card numbers from stdin, expiry, passwords, masks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "validate.h"

#include "common/demo_data.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void codes_follow_the_schema_patterns(void **state)
{
  (void)state;
  assert_true(valid_issuer_code("2a11111"));
  assert_true(valid_issuer_code("ABCDEFGHIJKLMNOP"));   /* 16 */
  assert_false(valid_issuer_code("ABCDEFGHIJKLMNOPQ")); /* 17 */
  assert_false(valid_issuer_code("2a-1111"));
  assert_false(valid_issuer_code(""));
  assert_false(valid_issuer_code(NULL));
  assert_true(valid_merchant_code("1111111111"));
  assert_true(valid_merchant_code("123456789012345"));
  assert_false(valid_merchant_code("1234567890123456"));
  assert_false(valid_merchant_code("11111a"));
  assert_true(valid_ident("pos-a_1"));
  assert_true(valid_ident("00001"));
  assert_false(valid_ident("pos a"));
  assert_false(valid_ident("pos.a"));
  assert_false(valid_ident("123456789012345678901234567890123")); /* 33 */
  /* field 41: 1-8 of the same characters */
  assert_true(valid_iso_terminal_id("pos-1111"));
  assert_true(valid_iso_terminal_id("T0000001"));
  assert_true(valid_iso_terminal_id("a_B-9"));
  assert_true(valid_iso_terminal_id("x"));
  assert_false(valid_iso_terminal_id("pos-11111")); /* 9 */
  assert_false(valid_iso_terminal_id("pos 1111"));
  assert_false(valid_iso_terminal_id("pos.1"));
  assert_false(valid_iso_terminal_id(""));
  assert_false(valid_iso_terminal_id(NULL));
}

static void names_are_counted_in_characters_and_refuse_control_chars(void **state)
{
  char eighty_kana[80 * 3 + 2] = ""; /* 80 kana, one more letter, NUL */
  (void)state;
  for (int i = 0; i < 80; i++)
    strcat(eighty_kana, "\xe3\x81\x82"); /* U+3042, 3 bytes each */
  assert_true(valid_text("Taro Yamada", 80));
  assert_true(valid_text(eighty_kana, 80));
  strcat(eighty_kana, "a");
  assert_false(valid_text(eighty_kana, 80));
  assert_false(valid_text("", 80));
  assert_false(valid_text("line\nbreak", 80));
  assert_false(valid_text("tab\there", 80));
  assert_false(valid_text("bad \xff utf8", 80));
  assert_false(valid_text("overlong \xc0\xaf", 80));
  /* what PostgreSQL would refuse as UTF-8 is refused here first, whole */
  assert_false(valid_text("overlong \xe0\x80\xaf", 80));
  assert_false(valid_text("surrogate \xed\xa0\x80", 80));
  assert_false(valid_text("above U+10FFFF \xf4\x90\x80\x80", 80));
  assert_false(valid_text("cut \xe3\x81", 80));
  assert_false(valid_text("12345", 4));
}

static void range_bounds_compare_as_padded_prefixes(void **state)
{
  (void)state;
  assert_true(valid_range_bound("13500"));
  assert_false(valid_range_bound("135a0"));
  assert_false(valid_range_bound("12345678901234567890"));
  assert_true(range_bounds_ordered("1525000000", "1525059999"));
  assert_true(range_bounds_ordered("145259000", "1452590000")); /* fig 9: lengths differ */
  assert_true(range_bounds_ordered("13600", "13600"));
  assert_true(range_bounds_ordered("1", "1999"));  /* "1000..." <= "1999..." */
  assert_false(range_bounds_ordered("2", "1999")); /* "2000..." >  "1999..." */
}

static void range_order_refuses_reversed_bounds(void **state)
{
  (void)state;
  assert_false(range_bounds_ordered("13561", "13560"));
  assert_false(range_bounds_ordered("2", "1"));
}

static void ranges_overlap_as_sets_of_card_numbers(void **state)
{
  (void)state;
  assert_true(ranges_overlap("13500", "13560", "13560", "13570"));
  assert_true(ranges_overlap("135", "135", "1355", "1355")); /* prefix inside prefix */
  assert_false(ranges_overlap("13500", "13560", "13600", "13600"));
  assert_false(ranges_overlap("1525000000", "1525059999", "1525060000", "1525069999"));
  assert_true(ranges_overlap("1525000000", "1525059999", "15250599", "15250600"));
}

static void methods_parse_tokens_and_refuse_unknown(void **state)
{
  struct methods m;
  char err[160], text[32];
  (void)state;
  assert_int_equal(methods_parse("L,I,R", &m, err, sizeof err), 0);
  assert_true(m.lump_sum && m.installments && m.revolving);
  assert_false(m.bonus || m.partial_bonus);
  assert_int_equal(methods_parse("L I pB R", &m, err, sizeof err), 0); /* demo_data.h spelling */
  assert_true(m.partial_bonus && !m.bonus);
  methods_format(&m, text, sizeof text);
  assert_string_equal(text, "L,I,pB,R");
  assert_int_equal(methods_parse("L,X", &m, err, sizeof err), -1);
  assert_non_null(strstr(err, "unknown payment method 'X'"));
  assert_int_equal(methods_parse("PB", &m, err, sizeof err), -1); /* case matters: pB */
  assert_int_equal(methods_parse("", &m, err, sizeof err), -1);
  assert_non_null(strstr(err, "at least one"));
  assert_int_equal(methods_parse(",,", &m, err, sizeof err), -1);
}

static void installments_parse_allowed_counts_sorted(void **state)
{
  int counts[INSTALLMENTS_MAX];
  char err[160], text[80];
  (void)state;
  assert_int_equal(installments_parse("12,3,6", counts, err, sizeof err), 3);
  assert_int_equal(counts[0], 3);
  assert_int_equal(counts[2], 12);
  installments_format(counts, 3, text, sizeof text);
  assert_string_equal(text, "{3,6,12}");
  installments_format(counts, 0, text, sizeof text);
  assert_string_equal(text, "{}");
  assert_int_equal(installments_parse("2,3,4,5,6,10,12,15,18,20,24,30,36", counts, err, sizeof err), 13);
}

static void installments_refuse_bad_lists(void **state)
{
  int counts[INSTALLMENTS_MAX];
  char err[160];
  (void)state;
  assert_int_equal(installments_parse("7", counts, err, sizeof err), -1);
  assert_non_null(strstr(err, "installment count 7 is not allowed"));
  assert_int_equal(installments_parse("3,3", counts, err, sizeof err), -1);
  assert_non_null(strstr(err, "twice"));
  assert_int_equal(installments_parse("3,", counts, err, sizeof err), -1);
  assert_int_equal(installments_parse(",3", counts, err, sizeof err), -1);
  assert_int_equal(installments_parse("3;6", counts, err, sizeof err), -1);
  assert_int_equal(installments_parse("03", counts, err, sizeof err), -1);
  assert_int_equal(installments_parse("-3", counts, err, sizeof err), -1);
  assert_int_equal(installments_parse("", counts, err, sizeof err), -1);
  assert_int_equal(installments_parse("99999999999999999999", counts, err, sizeof err), -1);
}

static void pan_normalize_strips_separators_and_checks(void **state)
{
  char pan[PAN_MAX_LEN + 1];
  (void)state;
  assert_int_equal(pan_normalize("1525000012345678", pan), PAN_OK);
  assert_string_equal(pan, "1525000012345678");
  assert_int_equal(pan_normalize("1525 0000 1234 5678", pan), PAN_OK);
  assert_string_equal(pan, "1525000012345678");
  assert_int_equal(pan_normalize("1525-0000-1234-5678", pan), PAN_OK);
  assert_int_equal(pan_normalize("1525000012345679", pan), PAN_BAD_LUHN);
  assert_int_equal(pan_normalize("15250000123", pan), PAN_BAD_LENGTH);
  assert_int_equal(pan_normalize("15250000123456789012", pan), PAN_BAD_LENGTH);
  assert_int_equal(pan_normalize("1525x00012345678", pan), PAN_NOT_DIGITS);
  assert_string_equal(pan, ""); /* nothing left behind on refusal */
  assert_int_equal(pan_normalize("", pan), PAN_EMPTY);
  assert_int_equal(pan_normalize("  - ", pan), PAN_EMPTY);
}

/* Longest run of digits in s. */
static size_t longest_digit_run(const char *s)
{
  size_t best = 0, run = 0;
  for (; *s; s++) {
    run = (*s >= '0' && *s <= '9') ? run + 1 : 0;
    best = run > best ? run : best;
  }
  return best;
}

static void pan_messages_never_hold_digits(void **state)
{
  (void)state;
  assert_string_equal(pan_check_message(PAN_BAD_LUHN), "card number fails the Luhn check");
  for (int c = PAN_EMPTY; c <= PAN_BAD_LUHN; c++)
    assert_true(longest_digit_run(pan_check_message((enum pan_check)c)) <= 2); /* "12 to 19" at most */
}

static void expiry_rules(void **state)
{
  struct tm tm = { .tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 25 }; /* 2026-11-25 */
  long now = (long)timegm(&tm);
  (void)state;
  assert_int_equal(expiry_check("3012", now), EXPIRY_OK);
  assert_int_equal(expiry_check("2611", now), EXPIRY_OK); /* valid through its month */
  assert_int_equal(expiry_check("2610", now), EXPIRY_PASSED);
  assert_int_equal(expiry_check("2001", now), EXPIRY_PASSED);
  assert_int_equal(expiry_check("3013", now), EXPIRY_MALFORMED);
  assert_int_equal(expiry_check("3000", now), EXPIRY_MALFORMED);
  assert_int_equal(expiry_check("301", now), EXPIRY_MALFORMED);
  assert_int_equal(expiry_check("12/30", now), EXPIRY_MALFORMED);
}

static void password_rules(void **state)
{
  (void)state;
  assert_null(password_problem("demo-pass-00001"));
  assert_null(password_problem("12345678"));
  assert_non_null(strstr(password_problem("1234567"), "at least 8"));
  assert_non_null(password_problem(""));
  assert_non_null(strstr(password_problem("pass\tword1"), "control"));
  assert_non_null(strstr(password_problem("password \xed\xa0\x80"), "not valid UTF-8")); /* a surrogate */
  assert_null(password_problem("\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82"
                               "\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82")); /* 8 characters */
  assert_non_null(password_problem("\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82"));         /* 3, though 9 bytes */
}

/* The HTML history's web password: the same rules, 12 characters or more. */
static void web_password_rules(void **state)
{
  (void)state;
  assert_null(web_password_problem("demo-web-00001"));
  assert_null(web_password_problem("123456789012"));
  assert_non_null(strstr(web_password_problem("12345678901"), "at least 12"));
  assert_non_null(strstr(web_password_problem("pass\tword-long-enough"), "control"));
  assert_non_null(web_password_problem(""));
  /* 12 characters of 3 bytes each, and 11 */
  assert_null(web_password_problem("\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82"
                                   "\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82"));
  assert_non_null(web_password_problem("\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82"
                                       "\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82\xe3\x81\x82"));
}

static void row_ids_and_masks(void **state)
{
  long long id;
  (void)state;
  assert_true(parse_row_id("42", &id));
  assert_int_equal(id, 42);
  assert_false(parse_row_id("0", &id));
  assert_false(parse_row_id("-1", &id));
  assert_false(parse_row_id("4x", &id));
  assert_false(parse_row_id("", &id));
  assert_false(parse_row_id("9999999999999999999999", &id));
}

static void read_line_strips_endings_and_refuses_overlong(void **state)
{
  char buf[20];
  FILE *f = tmpfile();
  (void)state;
  fputs("1525 0000\r\n", f);
  rewind(f);
  assert_int_equal(read_line(f, buf, sizeof buf), 0);
  assert_string_equal(buf, "1525 0000");
  assert_int_equal(read_line(f, buf, sizeof buf), -1); /* no second line */
  fclose(f);
  f = tmpfile();
  fputs("0123456789012345678901234567890\n", f);
  rewind(f);
  assert_int_equal(read_line(f, buf, sizeof buf), -1);
  fclose(f);
  f = tmpfile();
  fputs("no newline at end", f);
  rewind(f);
  assert_int_equal(read_line(f, buf, sizeof buf), 0);
  assert_string_equal(buf, "no newline at end");
  fclose(f);
}

/* `paygw-admin demo` refuses a passed expiry: 2911 and 3003 would have
 * stopped the demo (and scripts/check) from December 2029.  No demo card may
 * expire before the end of 2030 (3012, the soonest, is pinned by the credit
 * server's tests), on the gateway's side or the issuer's. */
static void demo_cards_do_not_expire_soon(void **state)
{
  long dec_2030 = 1922400000; /* 2030-12-01 */
  (void)state;
  for (const struct demo_card *c = demo_cards; c->pan; c++) {
    assert_int_equal(expiry_check(c->expiry, dec_2030), EXPIRY_OK);
    if (!c->issuer_expiry) /* the issuer's copy is the same */
      continue;
    /* only the card meant to be expired at the issuer has an expiry of its own */
    assert_string_equal(c->label, "Expired at issuer");
  }
}

/* A webhook URL: https to anywhere, http only to this machine (tests, the
 * demo), no user or password in it, no spaces or control characters; the
 * same rule as the CHECK of gateway.merchants.webhook_url (sql/0017). */
static void webhook_urls_are_https_or_loopback_http(void **state)
{
  char long_url[2100];
  (void)state;
  assert_true(valid_webhook_url("https://shop.example/paygw/hook"));
  assert_true(valid_webhook_url("https://shop.example"));
  assert_true(valid_webhook_url("https://shop.example:8443/h?x=1"));
  assert_true(valid_webhook_url("http://127.0.0.1:8080/hook"));
  assert_true(valid_webhook_url("http://localhost/hook"));
  assert_true(valid_webhook_url("http://localhost"));
  assert_false(valid_webhook_url("http://shop.example/hook"));       /* clear text off this machine */
  assert_false(valid_webhook_url("http://127.0.0.1.evil.example/")); /* not loopback at all */
  assert_false(valid_webhook_url("http://localhost.evil.example/"));
  assert_false(valid_webhook_url("http://127.0.0.1:99999999/"));
  assert_false(valid_webhook_url("https://user:pw@shop.example/")); /* a password would be stored in clear */
  assert_false(valid_webhook_url("https:///hook"));
  assert_false(valid_webhook_url("https://"));
  assert_false(valid_webhook_url("ftp://shop.example/"));
  assert_false(valid_webhook_url("https://shop.example/a b"));
  assert_false(valid_webhook_url("https://shop.example/\n"));
  assert_false(valid_webhook_url(""));
  assert_false(valid_webhook_url(NULL));
  memset(long_url, 'a', sizeof long_url - 1);
  memcpy(long_url, "https://", 8);
  long_url[sizeof long_url - 1] = '\0';
  assert_false(valid_webhook_url(long_url)); /* over 2000 characters */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(codes_follow_the_schema_patterns),
    cmocka_unit_test(names_are_counted_in_characters_and_refuse_control_chars),
    cmocka_unit_test(range_bounds_compare_as_padded_prefixes),
    cmocka_unit_test(range_order_refuses_reversed_bounds),
    cmocka_unit_test(ranges_overlap_as_sets_of_card_numbers),
    cmocka_unit_test(methods_parse_tokens_and_refuse_unknown),
    cmocka_unit_test(installments_parse_allowed_counts_sorted),
    cmocka_unit_test(installments_refuse_bad_lists),
    cmocka_unit_test(pan_normalize_strips_separators_and_checks),
    cmocka_unit_test(pan_messages_never_hold_digits),
    cmocka_unit_test(expiry_rules),
    cmocka_unit_test(password_rules),
    cmocka_unit_test(row_ids_and_masks),
    cmocka_unit_test(read_line_strips_endings_and_refuses_overlong),
    cmocka_unit_test(demo_cards_do_not_expire_soon),
    cmocka_unit_test(webhook_urls_are_https_or_loopback_http),
    cmocka_unit_test(web_password_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
