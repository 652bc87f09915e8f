/* test_history.c — history.fcgi's pure sign-in rules (signin_rules.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "history/signin_rules.h"

#include <string.h>

static void user_ids_are_the_gateways(void **state)
{
  (void)state;
  assert_true(signin_user_id_ok("00001"));
  assert_true(signin_user_id_ok("a_B-9"));
  assert_true(signin_user_id_ok("12345678901234567890123456789012"));   /* 32 */
  assert_false(signin_user_id_ok("123456789012345678901234567890123")); /* 33 */
  assert_false(signin_user_id_ok(""));
  assert_false(signin_user_id_ok(NULL));
  assert_false(signin_user_id_ok("0000 1"));
  assert_false(signin_user_id_ok("00001'"));
  assert_false(signin_user_id_ok("<script>"));
  assert_false(signin_user_id_ok("\xc3\xa9t\xc3\xa9"));
}

static void passwords_have_no_control_characters(void **state)
{
  (void)state;
  char long_one[300];

  assert_true(signin_password_ok("demo-web-00001"));
  assert_true(signin_password_ok("with spaces and \xc3\xa9"));
  assert_false(signin_password_ok(""));
  assert_false(signin_password_ok(NULL));
  assert_false(signin_password_ok("tab\there"));
  assert_false(signin_password_ok("line\nbreak"));
  assert_false(signin_password_ok("del\x7f"));
  memset(long_one, 'a', 256);
  long_one[256] = '\0';
  assert_true(signin_password_ok(long_one));
  long_one[256] = 'a';
  long_one[257] = '\0';
  assert_false(signin_password_ok(long_one));
}

static void the_presession_token_is_bound_to_its_cookie(void **state)
{
  (void)state;
  char a[PRESESSION_TOKEN_HEX + 1], a2[PRESESSION_TOKEN_HEX + 1], b[PRESESSION_TOKEN_HEX + 1];

  presession_csrf_of("00112233445566778899aabbccddeeff", a);
  presession_csrf_of("00112233445566778899aabbccddeeff", a2);
  presession_csrf_of("00112233445566778899aabbccddeef0", b);
  assert_int_equal(strlen(a), PRESESSION_TOKEN_HEX);
  assert_string_equal(a, a2);                                     /* the same cookie, the same token */
  assert_string_not_equal(a, b);                                  /* another cookie, another token */
  assert_string_not_equal(a, "00112233445566778899aabbccddeeff"); /* never the cookie itself */
}

static void a_dead_session_is_sent_to_sign_in_saying_so(void **state)
{
  (void)state;
  assert_string_equal(signin_redirect_for(SESSION_ENDED), "/history/sign-in?ended=expired");
  assert_string_equal(signin_redirect_for(SESSION_ABSENT), "/history/sign-in");
  assert_string_equal(signin_redirect_for(SESSION_UNKNOWN), "/history/sign-in");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(user_ids_are_the_gateways),
    cmocka_unit_test(passwords_have_no_control_characters),
    cmocka_unit_test(the_presession_token_is_bound_to_its_cookie),
    cmocka_unit_test(a_dead_session_is_sent_to_sign_in_saying_so),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
