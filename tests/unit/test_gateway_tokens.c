/* test_gateway_tokens.c — unit tests of the gateway's token requests (the
 * second embodiment, cgi/gateway/token_request.c and the outcome words of
 * cgi/gateway/db/token_*.c against sql/0021_tokens.sql): request IDs, the
 * handset's signed reply text, the verdict on a reply, the token's expiry,
 * the 0600's outcome, the Idempotency-Key's hash and the confirmation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/bodies.h"
#include "gateway/db/token.h"
#include "gateway/issuer_link.h"
#include "gateway/token_request.h"
#include "gateway/tokens.h"
#include "gateway/validate.h"
#include "common/tokencrypt.h"
#include "iso8583/iso8583.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void request_ids_are_random_and_have_their_shape(void **state)
{
  char a[TOKEN_REQUEST_ID_LEN + 1], b[TOKEN_REQUEST_ID_LEN + 1];
  (void)state;
  assert_int_equal(public_id_new(TOKEN_REQUEST_ID_PREFIX, a), 0);
  assert_int_equal(public_id_new(TOKEN_REQUEST_ID_PREFIX, b), 0);
  assert_int_equal(strlen(a), 25);
  assert_memory_equal(a, "tk_", 3);
  assert_true(public_id_valid(TOKEN_REQUEST_ID_PREFIX, a));
  assert_string_not_equal(a, b);
  assert_true(public_id_valid(TOKEN_REQUEST_ID_PREFIX, "tk_AAAAAAAAAAAAAAAAAAAAA-"));
  assert_false(public_id_valid(TOKEN_REQUEST_ID_PREFIX, "tk_AAAAAAAAAAAAAAAAAAAAA"));   /* 21 */
  assert_false(public_id_valid(TOKEN_REQUEST_ID_PREFIX, "tk_AAAAAAAAAAAAAAAAAAAAAAA")); /* 23 */
  assert_false(public_id_valid(TOKEN_REQUEST_ID_PREFIX, "tx_AAAAAAAAAAAAAAAAAAAAAA"));
  assert_false(public_id_valid(TOKEN_REQUEST_ID_PREFIX, "tk_AAAAAAAAAAAAAAAAAAAAA="));
  assert_false(public_id_valid(TOKEN_REQUEST_ID_PREFIX, "tk_AAAAAAAAAAAAAAAAAAAA\xff"));
  assert_false(public_id_valid(TOKEN_REQUEST_ID_PREFIX, ""));
  assert_false(public_id_valid(TOKEN_REQUEST_ID_PREFIX, "0123456789ABCDEF")); /* a transaction number */
  assert_int_equal(public_id_new("tk", a), -1);                               /* a prefix is three characters */
}

static void the_reply_signs_the_body_it_carries(void **state)
{
  char text[256], other[256];
  (void)state;
  int n = token_reply_signed_text("tk_AAAAAAAAAAAAAAAAAAAAAA", "1234567", "1764930000123", "abc", 3, text, sizeof text);
  assert_string_equal(text, "token-reply:tk_AAAAAAAAAAAAAAAAAAAAAA:1234567:1764930000123:"
                            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert_int_equal(n, (int)strlen(text));
  /* every byte of the body counts, and only the bytes given */
  token_reply_signed_text("tk_AAAAAAAAAAAAAAAAAAAAAA", "1234567", "1764930000123", "abd", 3, other, sizeof other);
  assert_string_not_equal(text, other);
  token_reply_signed_text("tk_AAAAAAAAAAAAAAAAAAAAAA", "1234567", "1764930000123", "abcdef", 3, other, sizeof other);
  assert_string_equal(text, other);
  /* the request, the device and the time are bound too */
  token_reply_signed_text("tk_BAAAAAAAAAAAAAAAAAAAAA", "1234567", "1764930000123", "abc", 3, other, sizeof other);
  assert_string_not_equal(text, other);
  token_reply_signed_text("tk_AAAAAAAAAAAAAAAAAAAAAA", "1234567", "1764930000124", "abc", 3, other, sizeof other);
  assert_string_not_equal(text, other);
  assert_int_equal(token_reply_signed_text("tk_AAAAAAAAAAAAAAAAAAAAAA", "1234567", "1", "abc", 3, other, 40), -1);
}

static enum token_verdict verdict(bool device, bool agree, bool locked, bool password)
{
  struct token_reply_facts f = { .device_ok = device, .agree = agree, .locked = locked, .password_ok = password };
  return token_reply_verdict(&f);
}

static void the_verdict_checks_device_then_agreement_then_lock_then_password(void **state)
{
  (void)state;
  /* a wrong device cancels whatever else the reply says */
  for (int i = 0; i < 8; i++)
    assert_int_equal(verdict(false, i & 1, i & 2, i & 4), VERDICT_WRONG_DEVICE);
  /* Not agree needs no password and is not a lock's business */
  for (int i = 0; i < 4; i++)
    assert_int_equal(verdict(true, false, i & 1, i & 2), VERDICT_NOT_AGREED);
  /* locked: even the right password is refused */
  assert_int_equal(verdict(true, true, true, true), VERDICT_USER_LOCKED);
  assert_int_equal(verdict(true, true, true, false), VERDICT_USER_LOCKED);
  assert_int_equal(verdict(true, true, false, false), VERDICT_WRONG_PASSWORD);
  assert_int_equal(verdict(true, true, false, true), VERDICT_RIGHT_PASSWORD);
  assert_string_equal(token_verdict_word(VERDICT_RIGHT_PASSWORD), "right_password");
  assert_string_equal(token_verdict_word(VERDICT_WRONG_DEVICE), "wrong_device");
  assert_string_equal(token_verdict_word(VERDICT_USER_LOCKED), "user_locked");
}

static void the_password_is_checked_only_when_it_can_matter(void **state)
{
  struct token_reply_facts f = { .device_ok = true, .agree = true };
  (void)state;
  assert_true(token_reply_needs_password(&f));
  f.locked = true;
  assert_false(token_reply_needs_password(&f)); /* no argon2id work for a locked user */
  f.locked = false, f.agree = false;
  assert_false(token_reply_needs_password(&f));
  f.agree = true, f.device_ok = false;
  assert_false(token_reply_needs_password(&f));
}

static void the_expiry_is_fourteen_digits_of_utc(void **state)
{
  char out[15];
  (void)state;
  token_expiry_text(1764930000, out); /* 2025-12-05 10:20:00 UTC */
  assert_string_equal(out, "20251205102000");
  assert_true(token_expiry_valid(out));
  token_expiry_text(1764930000 + 900, out);
  assert_string_equal(out, "20251205103500");
  token_expiry_text(951782400 - 1, out); /* the last second before 2000-02-29 */
  assert_string_equal(out, "20000228235959");
}

static void the_issuers_answer_decides_the_end(void **state)
{
  const char *status, *reason;
  (void)state;
  token_delivery_outcome(true, "00", &status, &reason);
  assert_string_equal(status, "issued");
  assert_null(reason);
  token_delivery_outcome(true, "14", &status, &reason);
  assert_string_equal(status, "failed");
  assert_string_equal(reason, "issuer_refused");
  token_delivery_outcome(true, "94", &status, &reason);
  assert_string_equal(reason, "issuer_refused");
  token_delivery_outcome(false, "00", &status, &reason); /* a stale code without an answer is no answer */
  assert_string_equal(status, "failed");
  assert_string_equal(reason, "issuer_unavailable");
  token_delivery_outcome(false, NULL, &status, &reason);
  assert_string_equal(reason, "issuer_unavailable");
}

static void final_states(void **state)
{
  (void)state;
  const char *finals[] = { "issued", "failed", "canceled", "expired", "rejected" };
  for (size_t i = 0; i < sizeof finals / sizeof *finals; i++)
    assert_true(token_status_is_final(finals[i]));
  assert_false(token_status_is_final("awaiting_reply"));
  assert_false(token_status_is_final("delivering"));
  assert_false(token_status_is_final("completed")); /* a transaction's, not a token's */
}

static void the_idempotency_hash_is_bound_to_the_path_not_to_member_order(void **state)
{
  char a[65], b[65], plain[65];
  (void)state;
  json_t *one = json_loads("{\"user_id\":\"00001\",\"currency\":\"JPY\"}", 0, NULL);
  json_t *two = json_loads("{\"currency\":\"JPY\",\"user_id\":\"00001\"}", 0, NULL);
  json_t *three = json_loads("{\"currency\":\"JPY\",\"user_id\":\"00002\"}", 0, NULL);
  token_request_hash(one, a);
  token_request_hash(two, b);
  assert_string_equal(a, b);
  assert_int_equal(strlen(a), 64);
  token_request_hash(three, b);
  assert_string_not_equal(a, b);
  /* POST /v1/transactions hashes the canonical body alone: never the same */
  token_sha256_hex("{\"currency\":\"JPY\",\"user_id\":\"00001\"}", plain);
  assert_string_not_equal(a, plain);
  json_decref(one);
  json_decref(two);
  json_decref(three);
}

static void the_confirmation_says_what_the_handset_shows(void **state)
{
  (void)state;
  struct token_confirmation c = { .id = "tk_AAAAAAAAAAAAAAAAAAAAAA",
                                  .user_id = "00001",
                                  .device_id = "1234567",
                                  .merchant = "1111111111",
                                  .shop = "Shop A Ginza",
                                  .currency = "JPY",
                                  .binding_code = "ETWP",
                                  .reply_deadline = "2026-12-05T10:02:00Z",
                                  .items = "[{\"name\":\"Tea\",\"quantity\":2,\"unit_price\":1600,\"tax\":256}]",
                                  .total = 3456,
                                  .tax_total = 256 };
  json_t *m = token_confirmation_message(&c);
  assert_non_null(m);
  assert_string_equal(json_string_value(json_object_get(m, "kind")), "token_confirmation");
  assert_string_equal(json_string_value(json_object_get(m, "token")), c.id);
  assert_string_equal(json_string_value(json_object_get(m, "device_id")), "1234567");
  assert_string_equal(json_string_value(json_object_get(m, "shop")), "Shop A Ginza");
  assert_string_equal(json_string_value(json_object_get(m, "binding_code")), "ETWP");
  assert_int_equal(json_integer_value(json_object_get(m, "total")), 3456);
  assert_int_equal(json_integer_value(json_object_get(m, "tax_total")), 256);
  assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(m, "items"), 0), "name")),
                      "Tea");
  assert_int_equal(json_object_size(m), 12);
  json_decref(m);
}

static void the_reply_body_table_keeps_the_rules(void **state)
{
  (void)state;
  assert_null(validate_spec_problem(token_reply_spec, sizeof(struct token_reply_body)));
  char err[200];
  struct token_reply_body b = { 0 };
  json_t *ok = json_loads("{\"agree\":true,\"password\":\"a long password\",\"device_id\":\"1234567\"}", 0, NULL);
  json_t *no = json_loads("{\"agree\":\"yes\",\"device_id\":\"1234567\"}", 0, NULL);
  json_t *extra = json_loads("{\"agree\":false,\"device_id\":\"1234567\",\"pan\":\"x\"}", 0, NULL);
  assert_int_equal(validate_object(ok, token_reply_spec, &b, "", err, sizeof err), 0);
  assert_true(b.agree);
  assert_string_equal(b.device_id, "1234567");
  assert_int_not_equal(validate_object(no, token_reply_spec, &b, "", err, sizeof err), 0);
  assert_int_not_equal(validate_object(extra, token_reply_spec, &b, "", err, sizeof err), 0);
  json_decref(ok);
  json_decref(no);
  json_decref(extra);
}

/* Every outcome word a function of sql/0021 answers (a quoted word after
 * SELECT, THEN or ELSE in its text) has its C value (as test_gateway_rules.c
 * checks sql/0014's and 0015's). */
static int outcomes_match(const char *function, int (*outcome_of)(const char *))
{
  char path[512], line[1024], opening[128];
  const char *dir = getenv("srcdir");
  snprintf(path, sizeof path, "%s/sql/0021_tokens.sql", dir && *dir ? dir : ".");
  snprintf(opening, sizeof opening, "CREATE FUNCTION gateway.%s(", function);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  bool inside = false;
  int seen = 0;
  while (fgets(line, sizeof line, f)) {
    if (strstr(line, opening))
      inside = true;
    else if (inside && strncmp(line, "$$;", 3) == 0)
      break;
    for (char *p = line; inside && (p = strchr(p, '\'')) != NULL;) {
      char *end = strchr(p + 1, '\'');
      if (!end)
        break;
      bool answered = (p - line >= 7 && strncmp(p - 7, "SELECT ", 7) == 0)
                      || (p - line >= 5 && (strncmp(p - 5, "THEN ", 5) == 0 || strncmp(p - 5, "ELSE ", 5) == 0));
      if (answered && end - p > 1) {
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(end - p - 1), p + 1);
        if (outcome_of(word) < 0)
          fail_msg("outcome %s of %s has no C value", word, function);
        seen++;
      }
      p = end + 1;
    }
  }
  fclose(f);
  return seen;
}

static void outcomes_match_the_functions(void **state)
{
  (void)state;
  assert_true(outcomes_match("do_create_token", token_create_outcome_of) >= 7);
  assert_int_equal(token_create_outcome_of("sign_again"), TOKEN_SIGN_AGAIN);
  assert_true(outcomes_match("do_token_view", token_view_outcome_of) >= 2);
  assert_true(outcomes_match("do_token_cancel", token_view_outcome_of) >= 3);
  assert_int_equal(token_view_outcome_of("canceled"), TOKEN_CANCELED);
  assert_true(outcomes_match("do_token_reply", token_reply_outcome_of) >= 5);
  assert_int_equal(token_reply_outcome_of("deliver"), REPLY_DELIVER);
  assert_int_equal(token_reply_outcome_of("Deliver"), -1);
}

/* The 0600 carries what the contract's section 3 lists, and survives the
 * codec: a key, made and encrypted under as the gateway does, opens the
 * number the credit server gets with the binding of the fields it gets. */
static void the_0600_carries_the_key_and_what_it_is_bound_to(void **state)
{
  unsigned char key[TOKEN_KEY_LEN], got_key[TOKEN_KEY_LEN];
  char key_id[TOKEN_KEY_ID_TEXT + 1], key_text[TOKEN_KEY_TEXT + 1], ecn[TOKEN_NUMBER_TEXT_MAX + 1], stan[7];
  char pan[TOKEN_PAN_MAX + 1];
  uint8_t wire[ISO8583_MAX_MESSAGE];
  size_t len;
  struct iso_msg m, back;
  (void)state;

  assert_int_equal(token_new_key(key, key_id), 0);
  struct token_binding b = {
    .key_id = key_id, .merchant_code = "1111111111", .amount = 3456, .currency = "392", .expiry = "20261205101500"
  };
  assert_int_equal(token_encrypt(key, &b, "1525000012345678", ecn, sizeof ecn), 0);
  token_key_to_text(key, key_text);
  struct issuer_key_delivery d = { .amount = 3456,
                                   .currency_numeric = "392",
                                   .merchant_code = "1111111111",
                                   .stan = 42,
                                   .transmission_time = "1205100000",
                                   .key_id = key_id,
                                   .ecn = ecn,
                                   .expiry = "20261205101500",
                                   .key_text = key_text };
  issuer_terminal_field("pos-1111", d.terminal_field);
  assert_int_equal(issuer_key_message(&d, &m, stan), 0);
  assert_string_equal(stan, "000042");
  assert_int_equal(iso_pack(&m, wire, sizeof wire, &len), ISO_OK);
  assert_int_equal(iso_unpack(&back, wire, len), ISO_OK);
  assert_string_equal(back.mti, "0600");
  assert_string_equal(iso_get(&back, ISO_F_AMOUNT), "000000003456");
  assert_string_equal(iso_get(&back, ISO_F_TRANSMISSION_TIME), "1205100000");
  assert_string_equal(iso_get(&back, ISO_F_STAN), "000042");
  assert_string_equal(iso_get(&back, ISO_F_TERMINAL_ID), "pos-1111");
  assert_string_equal(iso_get(&back, ISO_F_CURRENCY), "392");
  assert_string_equal(iso_get(&back, 60), key_id);
  assert_string_equal(iso_get(&back, 61), ecn);
  assert_string_equal(iso_get(&back, 62), "20261205101500");
  assert_string_equal(iso_get(&back, 63), key_text);
  assert_null(iso_get(&back, ISO_F_PAN)); /* never the card number */
  /* what the credit server does with it */
  assert_int_equal(token_key_from_text(iso_get(&back, 63), got_key), 0);
  char merchant[16];
  snprintf(merchant, sizeof merchant, "%s", iso_get(&back, ISO_F_MERCHANT_ID));
  merchant[strcspn(merchant, " ")] = '\0';
  struct token_binding got = { .key_id = iso_get(&back, 60),
                               .merchant_code = merchant,
                               .amount = strtoll(iso_get(&back, ISO_F_AMOUNT), NULL, 10),
                               .currency = iso_get(&back, ISO_F_CURRENCY),
                               .expiry = iso_get(&back, 62) };
  assert_int_equal(token_decrypt(got_key, &got, iso_get(&back, 61), pan, sizeof pan), 0);
  assert_string_equal(pan, "1525000012345678");
  /* no card number anywhere on the wire, in clear */
  assert_null(memmem(wire, len, "1525000012345678", 16));
  /* a field out of its shape: no message */
  d.expiry = "2026-12-05";
  assert_int_equal(issuer_key_message(&d, &m, stan), -1);
  d.expiry = "20261205101500", d.key_id = "";
  assert_int_equal(issuer_key_message(&d, &m, stan), -1);
  d.key_id = key_id, d.key_text = "short";
  assert_int_equal(issuer_key_message(&d, &m, stan), -1);
  d.key_text = key_text, d.merchant_code = "1234567890123456"; /* field 42 holds 15 */
  assert_int_equal(issuer_key_message(&d, &m, stan), -1);
  d.merchant_code = "1111111111";
  assert_int_equal(issuer_key_message(&d, &m, stan), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(request_ids_are_random_and_have_their_shape),
    cmocka_unit_test(the_reply_signs_the_body_it_carries),
    cmocka_unit_test(the_verdict_checks_device_then_agreement_then_lock_then_password),
    cmocka_unit_test(the_password_is_checked_only_when_it_can_matter),
    cmocka_unit_test(the_expiry_is_fourteen_digits_of_utc),
    cmocka_unit_test(the_issuers_answer_decides_the_end),
    cmocka_unit_test(final_states),
    cmocka_unit_test(the_idempotency_hash_is_bound_to_the_path_not_to_member_order),
    cmocka_unit_test(the_confirmation_says_what_the_handset_shows),
    cmocka_unit_test(the_reply_body_table_keeps_the_rules),
    cmocka_unit_test(outcomes_match_the_functions),
    cmocka_unit_test(the_0600_carries_the_key_and_what_it_is_bound_to),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
