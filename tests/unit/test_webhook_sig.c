/* test_webhook_sig.c — unit tests for lib/common/webhook_sig.c, the
 * Standard Webhooks signature the gateway's webhook sender puts on each
 * delivery: the specification's published example (secret, id, timestamp,
 * body and the signature its reference libraries compute), secrets as
 * whsec_ + base64 of their bytes, and the header with two signatures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/webhook_sig.h"

#include <string.h>

/* The Standard Webhooks specification's example: every one of its
 * reference libraries signs this message so. */
#define SPEC_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SPEC_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define SPEC_TIMESTAMP 1614265330LL
#define SPEC_BODY "{\"test\": 2432232314}"
#define SPEC_SIGNATURE "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

static void signs_the_specification_example(void **state)
{
  unsigned char key[WEBHOOK_SECRET_MAX];
  char sig[WEBHOOK_SIG_LEN];
  (void)state;

  long n = webhook_secret_decode(SPEC_SECRET, key, sizeof key);
  assert_int_equal(n, 24);
  assert_int_equal(webhook_sign(key, (size_t)n, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, strlen(SPEC_BODY), sig), 0);
  assert_string_equal(sig, SPEC_SIGNATURE);
}

static void a_changed_byte_changes_the_signature(void **state)
{
  unsigned char key[WEBHOOK_SECRET_MAX];
  char sig[WEBHOOK_SIG_LEN];
  (void)state;

  long n = webhook_secret_decode(SPEC_SECRET, key, sizeof key);
  assert_int_equal(webhook_sign(key, (size_t)n, SPEC_ID, SPEC_TIMESTAMP + 1, SPEC_BODY, strlen(SPEC_BODY), sig), 0);
  assert_string_not_equal(sig, SPEC_SIGNATURE);
  assert_int_equal(webhook_sign(key, (size_t)n, "msg_other", SPEC_TIMESTAMP, SPEC_BODY, strlen(SPEC_BODY), sig), 0);
  assert_string_not_equal(sig, SPEC_SIGNATURE);
  assert_int_equal(webhook_sign(key, (size_t)n, SPEC_ID, SPEC_TIMESTAMP, "{\"test\": 2432232315}", 20, sig), 0);
  assert_string_not_equal(sig, SPEC_SIGNATURE);
}

static void secrets_round_trip(void **state)
{
  unsigned char raw[WEBHOOK_SECRET_LEN], back[WEBHOOK_SECRET_MAX];
  char text[WEBHOOK_SECRET_TEXT_LEN], other[WEBHOOK_SECRET_TEXT_LEN];
  (void)state;

  assert_int_equal(webhook_secret_new(raw, text), 0);
  assert_memory_equal(text, "whsec_", 6);
  assert_int_equal(strlen(text), 6 + 44); /* 32 bytes: 44 base64 characters */
  assert_int_equal(webhook_secret_decode(text, back, sizeof back), WEBHOOK_SECRET_LEN);
  assert_memory_equal(raw, back, WEBHOOK_SECRET_LEN);
  assert_int_equal(webhook_secret_new(raw, other), 0);
  assert_string_not_equal(text, other); /* RAND_bytes, not a constant */
}

static void bad_secrets_are_refused(void **state)
{
  unsigned char key[WEBHOOK_SECRET_MAX];
  (void)state;

  assert_int_equal(webhook_secret_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", key, sizeof key), -1); /* no prefix */
  assert_int_equal(webhook_secret_decode("whsec_", key, sizeof key), -1);
  assert_int_equal(webhook_secret_decode("whsec_not base64!", key, sizeof key), -1);
  assert_int_equal(webhook_secret_decode("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", key, sizeof key), -1); /* length */
  assert_int_equal(webhook_secret_decode(SPEC_SECRET, key, 8), -1); /* does not fit */
}

static void the_secret_is_bound_to_its_merchant(void **state)
{
  unsigned char a[WEBHOOK_AAD_LEN], b[WEBHOOK_AAD_LEN];
  (void)state;

  webhook_secret_aad(7, a);
  webhook_secret_aad(8, b);
  assert_memory_not_equal(a, b, WEBHOOK_AAD_LEN);
  assert_memory_equal(a, "paygw-webhook-secret", 20);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(signs_the_specification_example),
    cmocka_unit_test(a_changed_byte_changes_the_signature),
    cmocka_unit_test(secrets_round_trip),
    cmocka_unit_test(bad_secrets_are_refused),
    cmocka_unit_test(the_secret_is_bound_to_its_merchant),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
