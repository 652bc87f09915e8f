/* test_webhook_verify.c — unit tests for lib/common/webhook_verify.c, the
 * receiving side of Standard Webhooks the demo shop uses: the
 * specification's example verifies at its own time and is too old or too
 * new six minutes off; any changed byte is forged; several signatures
 * with one right pass; other versions are ignored; bad headers and a bad
 * secret are told apart from forgery. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/webhook_verify.h"

#include <string.h>

/* The Standard Webhooks specification's example (docs/webhooks.md). */
#define SPEC_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SPEC_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define SPEC_TS_TEXT "1614265330"
#define SPEC_TS ((time_t)1614265330)
#define SPEC_BODY "{\"test\": 2432232314}"
#define SPEC_SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
#define TOLERANCE 300

static enum webhook_verdict verify_at(const char *id, const char *ts, const char *body, const char *sig, time_t now)
{
  return webhook_verify(SPEC_SECRET, id, ts, body, body ? strlen(body) : 0, sig, now, TOLERANCE);
}

static enum webhook_verdict verify(const char *id, const char *ts, const char *body, const char *sig)
{
  return verify_at(id, ts, body, sig, SPEC_TS);
}

static void the_specification_example_verifies_in_its_time(void **state)
{
  (void)state;

  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG), WEBHOOK_OK);
  /* the edges of the window are inside it */
  assert_int_equal(verify_at(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG, SPEC_TS + 300), WEBHOOK_OK);
  assert_int_equal(verify_at(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG, SPEC_TS - 300), WEBHOOK_OK);
  assert_int_equal(verify_at(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG, SPEC_TS + 301), WEBHOOK_TOO_OLD);
  assert_int_equal(verify_at(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG, SPEC_TS - 301), WEBHOOK_TOO_NEW);
  /* six minutes later the message is too old, six minutes earlier too new */
  assert_int_equal(verify_at(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG, SPEC_TS + 360), WEBHOOK_TOO_OLD);
  assert_int_equal(verify_at(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG, SPEC_TS - 360), WEBHOOK_TOO_NEW);
  /* the body is bytes with a length, not a C string */
  assert_int_equal(webhook_verify(SPEC_SECRET, SPEC_ID, SPEC_TS_TEXT, SPEC_BODY "trailing", strlen(SPEC_BODY), SPEC_SIG,
                                  SPEC_TS, TOLERANCE),
                   WEBHOOK_OK);
}

static void a_changed_byte_is_forged(void **state)
{
  (void)state;

  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, "{\"test\": 2432232315}", SPEC_SIG), WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, "", SPEC_SIG), WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, NULL, SPEC_SIG), WEBHOOK_FORGED);
  assert_int_equal(verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG), WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, "1614265331", SPEC_BODY, SPEC_SIG), WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF="),
                   WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE"),
                   WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG "x"), WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "v1,"), WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "garbage"), WEBHOOK_FORGED);
  /* another secret */
  assert_int_equal(webhook_verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", SPEC_ID, SPEC_TS_TEXT, SPEC_BODY,
                                  strlen(SPEC_BODY), SPEC_SIG, SPEC_TS, TOLERANCE),
                   WEBHOOK_FORGED);
}

static void one_right_signature_among_several(void **state)
{
  (void)state;

  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY,
                          "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " SPEC_SIG
                          " v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                   WEBHOOK_OK);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "v2,whatever  " SPEC_SIG "  "), WEBHOOK_OK);
  assert_int_equal(
      verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY,
             "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
      WEBHOOK_FORGED);
}

static void other_versions_are_ignored(void **state)
{
  (void)state;

  /* the right bytes under another version do not count */
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
                   WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
                   WEBHOOK_FORGED);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
                   WEBHOOK_FORGED);
}

static void bad_headers(void **state)
{
  (void)state;

  assert_int_equal(verify(SPEC_ID, NULL, SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, "", SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, "16142653a0", SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, "-1614265330", SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, " 1614265330", SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, "1614265330.0", SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, "99999999999999999999", SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(NULL, SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify("", SPEC_TS_TEXT, SPEC_BODY, SPEC_SIG), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, NULL), WEBHOOK_BAD_HEADERS);
  assert_int_equal(verify(SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, ""), WEBHOOK_BAD_HEADERS);
  assert_int_equal(webhook_verify(SPEC_SECRET, SPEC_ID, SPEC_TS_TEXT, NULL, 5, SPEC_SIG, SPEC_TS, TOLERANCE),
                   WEBHOOK_BAD_HEADERS);
}

static void a_bad_secret_is_bad_headers(void **state)
{
  static const char *const bad[] = {
    NULL,
    "",
    "whsec_",
    "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_not base64!",
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
  };
  (void)state;

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(
        webhook_verify(bad[i], SPEC_ID, SPEC_TS_TEXT, SPEC_BODY, strlen(SPEC_BODY), SPEC_SIG, SPEC_TS, TOLERANCE),
        WEBHOOK_BAD_HEADERS);
}

static void verdicts_have_names(void **state)
{
  (void)state;

  assert_string_equal(webhook_verdict_name(WEBHOOK_OK), "ok");
  assert_string_equal(webhook_verdict_name(WEBHOOK_BAD_HEADERS), "bad_headers");
  assert_string_equal(webhook_verdict_name(WEBHOOK_TOO_OLD), "too_old");
  assert_string_equal(webhook_verdict_name(WEBHOOK_TOO_NEW), "too_new");
  assert_string_equal(webhook_verdict_name(WEBHOOK_FORGED), "forged");
  assert_string_equal(webhook_verdict_name((enum webhook_verdict)99), "unknown");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_specification_example_verifies_in_its_time),
    cmocka_unit_test(a_changed_byte_is_forged),
    cmocka_unit_test(one_right_signature_among_several),
    cmocka_unit_test(other_versions_are_ignored),
    cmocka_unit_test(bad_headers),
    cmocka_unit_test(a_bad_secret_is_bad_headers),
    cmocka_unit_test(verdicts_have_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
