/* test_handset_shopurl.c — what `handset shop` takes before it sends the
 * user ID anywhere: a pay URL (https only, the path ending in
 * /shop/pay/CODE) or an order code with the shop from --shop /
 * PAYGW_SHOP_URL; everything else refused with a reason.  And the shop's
 * text made safe for a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "handset-client/shopurl.h"

static struct shop_target t;
static char err[512];

static int parse(const char *arg, const char *shop_url)
{
  err[0] = '\0';
  return shop_target_parse(arg, shop_url, &t, err, sizeof err);
}

static void codes_in_any_case_with_or_without_the_dash(void **state)
{
  char code[SHOP_CODE_LEN + 1];
  (void)state;
  const char *good[] = { "ABCDEFGH", "abcdefgh", "ABCD-EFGH", "abcd-efgh", "AbCd-EfGh", "23456789", "WXYZ-2345" };
  const char *want[] = { "ABCDEFGH", "ABCDEFGH", "ABCDEFGH", "ABCDEFGH", "ABCDEFGH", "23456789", "WXYZ2345" };
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    assert_int_equal(shop_code_parse(good[i], code), 0);
    assert_string_equal(code, want[i]);
  }
}

static void codes_refused(void **state)
{
  char code[SHOP_CODE_LEN + 1];
  (void)state;
  const char *bad[] = {
    "",          "ABCDEFG",   "ABCDEFGHJ", "ABC-DEFGH", "ABCDE-FGH",  "ABCD--EFGH", "-ABCDEFGH",
    "ABCDEFGH-", "ABCD EFGH", "ABCDEFG0",  "ABCDEFG1",  "ABCDEFGI",   "ABCDEFGL",   "ABCDEFGO",
    "abcdefgi",  "abcdefgl",  "abcdefgo",  "ABCD_EFGH", "ABCDEFGH\n", "ÄBCDEFGH",   "ABCD-EFG",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(shop_code_parse(bad[i], code), -1);
}

static void code_shown_with_a_dash(void **state)
{
  char buf[16];
  (void)state;
  assert_string_equal(shop_code_display("ABCDEFGH", buf, sizeof buf), "ABCD-EFGH");
}

static void pay_url_gives_base_and_code(void **state)
{
  (void)state;
  assert_int_equal(parse("https://127.0.0.1:26443/shop/pay/ABCDEFGH", NULL), 0);
  assert_string_equal(t.base, "https://127.0.0.1:26443/shop");
  assert_string_equal(t.code, "ABCDEFGH");

  /* any case and the dash in the code, a trailing slash, a prefix, a name, IPv6 */
  assert_int_equal(parse("https://shop.example/shop/pay/abcd-efgh/", NULL), 0);
  assert_string_equal(t.base, "https://shop.example/shop");
  assert_string_equal(t.code, "ABCDEFGH");
  assert_int_equal(parse("HTTPS://shop.example/store/v2/shop/pay/WXYZ2345", NULL), 0);
  assert_string_equal(t.base, "https://shop.example/store/v2/shop");
  assert_int_equal(parse("https://[::1]:8443/shop/pay/WXYZ2345", NULL), 0);
  assert_string_equal(t.base, "https://[::1]:8443/shop");
}

static void pay_url_wins_over_the_shop_option(void **state)
{
  (void)state;
  assert_int_equal(parse("https://a.example/shop/pay/ABCDEFGH", "https://b.example/shop/"), 0);
  assert_string_equal(t.base, "https://a.example/shop");
}

static void plaintext_refused(void **state)
{
  (void)state;
  assert_int_equal(parse("http://127.0.0.1:26443/shop/pay/ABCDEFGH", NULL), -1);
  assert_non_null(strstr(err, "not https"));
  assert_non_null(strstr(err, "never in clear"));
  assert_int_equal(parse("HTTP://127.0.0.1/shop/pay/ABCDEFGH", NULL), -1);
  assert_non_null(strstr(err, "not https"));
  /* nor as the shop of a code */
  assert_int_equal(parse("ABCDEFGH", "http://127.0.0.1/shop/"), -1);
  assert_non_null(strstr(err, "not https"));
  assert_int_equal(parse("ftp://127.0.0.1/shop/pay/ABCDEFGH", NULL), -1);
  assert_non_null(strstr(err, "starts with https://"));
}

static void malformed_urls_refused(void **state)
{
  (void)state;
  const char *bad[] = {
    "https:///shop/pay/ABCDEFGH",               /* no host */
    "https://host:0/shop/pay/ABCDEFGH",         /* port 0 */
    "https://host:65536/shop/pay/ABCDEFGH",     /* port too big */
    "https://host:/shop/pay/ABCDEFGH",          /* empty port */
    "https://host:8x/shop/pay/ABCDEFGH",        /* port not a number */
    "https://user@host/shop/pay/ABCDEFGH",      /* user info */
    "https://host/shop/pay/ABCDEFGH?x=1",       /* query */
    "https://host/shop/pay/ABCDEFGH#top",       /* fragment */
    "https://host/shop/pay/ABCDEFG0",           /* not an order code */
    "https://host/shop/pay/",                   /* no code */
    "https://host/shop/pay/ABCDEFGH/more",      /* more after the code */
    "https://host/shop/orders/ABCDEFGH",        /* the order page, not the pay URL */
    "https://host/pay/ABCDEFGH",                /* no /shop */
    "https://host/shopx/pay/ABCDEFGH",          /* not /shop */
    "https://host/../shop/pay/ABCDEFGH",        /* dot segments */
    "https://host/a//shop/pay/ABCDEFGH",        /* empty segment */
    "https://host/sh%6Fp/pay/ABCDEFGH",         /* percent escapes */
    "https://ho st/shop/pay/ABCDEFGH",          /* a space */
    "https://host/shop/pay/ABCDEFGH\n",         /* a new line */
    "https://[::1/shop/pay/ABCDEFGH",           /* IPv6 not closed */
    "https://[fe80::1%eth0]/shop/pay/ABCDEFGH", /* IPv6 zone */
    "https://host",                             /* no path */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (parse(bad[i], "https://fallback.example/shop/") != -1)
      fail_msg("accepted %s", bad[i]);
    assert_true(err[0] != '\0');
  }
  assert_int_equal(parse("https://host/shop/orders/ABCDEFGH", NULL), -1);
  assert_non_null(strstr(err, "/shop/pay/CODE"));
}

static void code_takes_the_shop_url(void **state)
{
  (void)state;
  assert_int_equal(parse("abcd-efgh", "https://127.0.0.1:26443/shop/"), 0);
  assert_string_equal(t.base, "https://127.0.0.1:26443/shop");
  assert_string_equal(t.code, "ABCDEFGH");
  assert_int_equal(parse("ABCDEFGH", "https://127.0.0.1:26443/shop"), 0);
  assert_string_equal(t.base, "https://127.0.0.1:26443/shop");
}

static void code_without_a_shop_refused(void **state)
{
  (void)state;
  assert_int_equal(parse("ABCDEFGH", NULL), -1);
  assert_non_null(strstr(err, "PAYGW_SHOP_URL"));
  assert_non_null(strstr(err, "ABCD-EFGH"));
  assert_int_equal(parse("ABCDEFGH", ""), -1);
  assert_non_null(strstr(err, "--shop"));
}

static void shop_url_must_end_in_shop(void **state)
{
  (void)state;
  const char *bad[] = { "https://127.0.0.1:26443/", "https://127.0.0.1:26443", "https://h/shop/pay/",
                        "https://h/shop//",         "https://h/shop?x",        "https://h/myshop/" };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (parse("ABCDEFGH", bad[i]) != -1)
      fail_msg("accepted the shop URL %s", bad[i]);
  }
  assert_int_equal(parse("ABCDEFGH", "https://h/"), -1);
  assert_non_null(strstr(err, "must end in /shop/"));
}

static void neither_code_nor_url(void **state)
{
  (void)state;
  const char *bad[] = { "", "shop.example/shop/pay/ABCDEFGH", "ABCDEFG", "order ABCDEFGH", "ABCDEFGHJ" };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(parse(bad[i], "https://h/shop/"), -1);
  assert_int_equal(parse("ABCDEFG", "https://h/shop/"), -1);
  assert_non_null(strstr(err, "neither an order code"));
  assert_int_equal(parse(NULL, "https://h/shop/"), -1);
  assert_non_null(strstr(err, "no order"));
}

static void long_arguments_refused(void **state)
{
  char url[2048];
  (void)state;
  memset(url, 'a', sizeof url);
  memcpy(url, "https://", 8);
  snprintf(url + 1000, sizeof url - 1000, "/shop/pay/ABCDEFGH");
  assert_int_equal(parse(url, NULL), -1);
  assert_non_null(strstr(err, "longer than"));
  /* a base just over the limit, inside a URL short enough */
  memset(url, 'a', sizeof url);
  memcpy(url, "https://", 8);
  snprintf(url + SHOP_BASE_MAX, sizeof url - SHOP_BASE_MAX, "/shop/pay/ABCDEFGH");
  assert_int_equal(parse(url, NULL), -1);
}

static void printable_text(void **state)
{
  char out[32];
  (void)state;
  assert_string_equal(shop_printable("paygw demo shop", out, sizeof out), "paygw demo shop");
  assert_string_equal(shop_printable("a\033[2Jb\r\n\x7f", out, sizeof out), "a?[2Jb???");
  assert_string_equal(shop_printable("c1 \xc2\x9b"
                                     "x",
                                     out, sizeof out),
                      "c1 ?x"); /* U+009B, the CSI */
  assert_string_equal(shop_printable("Café 東京", out, sizeof out), "Café 東京");
  /* cut at a character boundary: 東 takes 3 bytes and does not fit in 2 */
  assert_string_equal(shop_printable("ab東", out, 5), "ab");
  assert_string_equal(shop_printable("\xe6\x9d", out, sizeof out), "??"); /* cut short: not copied raw */
  assert_string_equal(shop_printable(NULL, out, sizeof out), "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(codes_in_any_case_with_or_without_the_dash),
    cmocka_unit_test(codes_refused),
    cmocka_unit_test(code_shown_with_a_dash),
    cmocka_unit_test(pay_url_gives_base_and_code),
    cmocka_unit_test(pay_url_wins_over_the_shop_option),
    cmocka_unit_test(plaintext_refused),
    cmocka_unit_test(malformed_urls_refused),
    cmocka_unit_test(code_takes_the_shop_url),
    cmocka_unit_test(code_without_a_shop_refused),
    cmocka_unit_test(shop_url_must_end_in_shop),
    cmocka_unit_test(neither_code_nor_url),
    cmocka_unit_test(long_arguments_refused),
    cmocka_unit_test(printable_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
