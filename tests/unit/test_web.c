/* test_web.c — lib/web: session tokens, cookies (the form parser's cases
 * are in test_shop.c, which came first). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/cookie.h"
#include "web/token.h"

#include <string.h>

static void random_hex_is_hex_and_differs(void **state)
{
  (void)state;
  char a[65], b[65];

  assert_int_equal(token_random_hex(a, 32), 0);
  assert_int_equal(token_random_hex(b, 32), 0);
  assert_int_equal(strlen(a), 64);
  assert_true(cookie_hex_wellformed(a, 64));
  assert_string_not_equal(a, b);
  char big[200];
  assert_int_equal(token_random_hex(big, 65), -1); /* more than 64 bytes */
}

static void sha256_hex_is_the_known_digest(void **state)
{
  (void)state;
  char out[65];

  token_sha256_hex("abc", out);
  assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void equal_compares_whole_texts(void **state)
{
  (void)state;
  assert_true(token_equal("abcd", "abcd"));
  assert_false(token_equal("abcd", "abce"));
  assert_false(token_equal("abcd", "abc")); /* a prefix */
  assert_false(token_equal("abc", "abcd"));
  assert_false(token_equal(NULL, "abcd"));
  assert_false(token_equal("abcd", NULL));
  assert_true(token_equal("", ""));
}

static void hex_wellformed_wants_lower_case_and_the_length(void **state)
{
  (void)state;
  assert_true(cookie_hex_wellformed("00ff", 4));
  assert_false(cookie_hex_wellformed("00FF", 4));
  assert_false(cookie_hex_wellformed("00f", 4));
  assert_false(cookie_hex_wellformed("00ff0", 4));
  assert_false(cookie_hex_wellformed("00fg", 4));
}

static void cookie_lines_say_host_cookie_attributes(void **state)
{
  (void)state;
  char line[200];

  cookie_line("__Host-x", "ab", "Strict", -1, line, sizeof line);
  assert_string_equal(line, "Set-Cookie: __Host-x=ab; Path=/; Secure; HttpOnly; SameSite=Strict");
  cookie_line("__Host-x", "", "Strict", 0, line, sizeof line);
  assert_string_equal(line, "Set-Cookie: __Host-x=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
  char v[8];
  assert_int_equal(cookie_get("a=1; __Host-x=ab", "__Host-x", v, sizeof v), 0);
  assert_string_equal(v, "ab");
  assert_int_equal(cookie_get("__Host-x=123456789", "__Host-x", v, sizeof v), -1); /* too long for v */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(random_hex_is_hex_and_differs),
    cmocka_unit_test(sha256_hex_is_the_known_digest),
    cmocka_unit_test(equal_compares_whole_texts),
    cmocka_unit_test(hex_wellformed_wants_lower_case_and_the_length),
    cmocka_unit_test(cookie_lines_say_host_cookie_attributes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
