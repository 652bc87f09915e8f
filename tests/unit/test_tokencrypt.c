/* test_tokencrypt.c — the second embodiment's encrypted card number
 * (lib/common/tokencrypt.h): it opens only with its own key and the very
 * binding it was sealed with (merchant, amount, currency, expiry, key ID),
 * is different every time for the same card, and refuses malformed text. */
#include "common/tokencrypt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define PAN "4111111111111111"

static unsigned char key[TOKEN_KEY_LEN];
static char key_id[TOKEN_KEY_ID_TEXT + 1];

static struct token_binding binding(void)
{
  return (struct token_binding){ key_id, "1111111111", 1980, "392", "20261205101500" };
}

static int setup(void **state)
{
  (void)state;
  return token_new_key(key, key_id);
}

static void seal(const struct token_binding *b, char *out)
{
  assert_int_equal(token_encrypt(key, b, PAN, out, TOKEN_NUMBER_TEXT_MAX + 1), 0);
}

static void round_trip(void **state)
{
  (void)state;
  struct token_binding b = binding();
  char number[TOKEN_NUMBER_TEXT_MAX + 1], pan[TOKEN_PAN_MAX + 1];
  seal(&b, number);
  assert_int_equal(strlen(number), 59); /* 12 + 16 + 16 bytes */
  assert_null(strstr(number, PAN));
  assert_int_equal(token_decrypt(key, &b, number, pan, sizeof pan), 0);
  assert_string_equal(pan, PAN);
}

static void every_length(void **state)
{
  (void)state;
  struct token_binding b = binding();
  char number[TOKEN_NUMBER_TEXT_MAX + 1], pan[TOKEN_PAN_MAX + 1], in[TOKEN_PAN_MAX + 2];
  for (int n = 1; n <= TOKEN_PAN_MAX + 1; n++) {
    memset(in, '4', (size_t)n);
    in[n] = '\0';
    int rc = token_encrypt(key, &b, in, number, sizeof number);
    if (n < TOKEN_PAN_MIN || n > TOKEN_PAN_MAX) {
      assert_int_equal(rc, -1);
      continue;
    }
    assert_int_equal(rc, 0);
    assert_true(strlen(number) <= TOKEN_NUMBER_TEXT_MAX);
    assert_int_equal(token_decrypt(key, &b, number, pan, sizeof pan), 0);
    assert_string_equal(pan, in);
  }
  assert_int_equal(token_encrypt(key, &b, "41111111111111x1", number, sizeof number), -1);
  assert_int_equal(token_encrypt(key, &b, PAN, number, 40), -1); /* out too small */
}

/* [0167]: an encrypted card number is made anew for every request */
static void fresh_every_time(void **state)
{
  (void)state;
  struct token_binding b = binding();
  char one[TOKEN_NUMBER_TEXT_MAX + 1], two[TOKEN_NUMBER_TEXT_MAX + 1];
  seal(&b, one);
  seal(&b, two);
  assert_string_not_equal(one, two);
  unsigned char key2[TOKEN_KEY_LEN];
  char id2[TOKEN_KEY_ID_TEXT + 1];
  assert_int_equal(token_new_key(key2, id2), 0);
  assert_string_not_equal(id2, key_id);
  assert_memory_not_equal(key2, key, TOKEN_KEY_LEN);
}

static void expect_refused(const struct token_binding *b, const unsigned char *k, const char *number)
{
  char pan[TOKEN_PAN_MAX + 1];
  memset(pan, 'x', sizeof pan);
  assert_int_equal(token_decrypt(k, b, number, pan, sizeof pan), -1);
  for (size_t i = 0; i < sizeof pan; i++)
    assert_int_equal(pan[i], pan[i] == 'x' ? 'x' : 0); /* never a digit left behind */
}

/* another merchant, amount, currency, expiry or key ID: not opened */
static void bound_to_its_sale(void **state)
{
  (void)state;
  struct token_binding b = binding();
  char number[TOKEN_NUMBER_TEXT_MAX + 1];
  seal(&b, number);
  struct token_binding other = b;
  other.merchant_code = "2222222222";
  expect_refused(&other, key, number);
  other = b;
  other.amount = 1981;
  expect_refused(&other, key, number);
  other = b;
  other.currency = "840";
  expect_refused(&other, key, number);
  other = b;
  other.expiry = "20261205101501";
  expect_refused(&other, key, number);
  unsigned char key2[TOKEN_KEY_LEN];
  char id2[TOKEN_KEY_ID_TEXT + 1];
  assert_int_equal(token_new_key(key2, id2), 0);
  other = b;
  other.key_id = id2;
  expect_refused(&other, key, number);
  expect_refused(&b, key2, number); /* another key */
}

static void tampered(void **state)
{
  (void)state;
  struct token_binding b = binding();
  char number[TOKEN_NUMBER_TEXT_MAX + 1], bad[TOKEN_NUMBER_TEXT_MAX + 2];
  seal(&b, number);
  for (size_t i = 0; i < strlen(number); i++) {
    strcpy(bad, number);
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    expect_refused(&b, key, bad);
  }
  strcpy(bad, number);
  bad[strlen(bad) - 1] = '\0'; /* cut short */
  expect_refused(&b, key, bad);
  expect_refused(&b, key, "");
  expect_refused(&b, key, "not base64url!");
  expect_refused(&b, key, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); /* too long */
  char pan[8];
  assert_int_equal(token_decrypt(key, &b, number, pan, sizeof pan), -1); /* no room for a card number */
}

static void binding_forms(void **state)
{
  (void)state;
  struct token_binding b = binding();
  char aad[128];
  int n = token_aad(&b, aad, sizeof aad);
  assert_true(n > 0);
  char want[128];
  snprintf(want, sizeof want, "paygw-token-v1|%s|1111111111|000000001980|392|20261205101500", key_id);
  assert_string_equal(aad, want);
  assert_int_equal(token_aad(&b, aad, 20), -1);

  struct token_binding bad = b;
  bad.merchant_code = "1111|1111";
  assert_false(token_binding_valid(&bad));
  bad.merchant_code = "1234567890123456"; /* 16: field 42 holds 15 */
  assert_false(token_binding_valid(&bad));
  bad.merchant_code = "";
  assert_false(token_binding_valid(&bad));
  bad = b;
  bad.amount = 0;
  assert_false(token_binding_valid(&bad));
  bad.amount = TOKEN_AMOUNT_MAX + 1;
  assert_false(token_binding_valid(&bad));
  bad.amount = TOKEN_AMOUNT_MAX;
  assert_true(token_binding_valid(&bad));
  bad = b;
  bad.currency = "JPY";
  assert_false(token_binding_valid(&bad));
  bad = b;
  bad.key_id = "short";
  assert_false(token_binding_valid(&bad));
  bad.key_id = "AAAAAAAAAAAAAAAAAAAAA_"; /* 22 characters, but not 16 bytes' worth */
  assert_false(token_binding_valid(&bad));
  char number[TOKEN_NUMBER_TEXT_MAX + 1];
  assert_int_equal(token_encrypt(key, &bad, PAN, number, sizeof number), -1);
}

static void expiry_forms(void **state)
{
  (void)state;
  assert_true(token_expiry_valid("20261205101500"));
  assert_true(token_expiry_valid("20280229235959")); /* a leap day */
  assert_false(token_expiry_valid("20270229000000"));
  assert_false(token_expiry_valid("20260431000000"));
  assert_false(token_expiry_valid("20261205240000"));
  assert_false(token_expiry_valid("20261305101500"));
  assert_false(token_expiry_valid("2026120510150"));
  assert_false(token_expiry_valid("202612051015000"));
  assert_false(token_expiry_valid("2026120510150a"));
  assert_false(token_expiry_valid(NULL));
}

static void key_text(void **state)
{
  (void)state;
  char text[TOKEN_KEY_TEXT + 1];
  unsigned char back[TOKEN_KEY_LEN];
  token_key_to_text(key, text);
  assert_int_equal(strlen(text), TOKEN_KEY_TEXT);
  assert_int_equal(token_key_from_text(text, back), 0);
  assert_memory_equal(back, key, TOKEN_KEY_LEN);
  text[5] = '+';
  assert_int_equal(token_key_from_text(text, back), -1);
  assert_int_equal(token_key_from_text("abc", back), -1);
  assert_int_equal(token_key_from_text(NULL, back), -1);
  assert_true(token_key_id_valid(key_id));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(round_trip),        cmocka_unit_test(every_length), cmocka_unit_test(fresh_every_time),
    cmocka_unit_test(bound_to_its_sale), cmocka_unit_test(tampered),     cmocka_unit_test(binding_forms),
    cmocka_unit_test(expiry_forms),      cmocka_unit_test(key_text),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
