/* test_credit_tokens.c — the pure parts of token sales at the credit server
 * (credit-server/token.c, request.c): who may send what (58), a token 0100's
 * and a 0600's fields (30), the order of a token 0100's first refusals (58,
 * 30, 14; the rest, 63 03 13 54, is issuer.token_decide, walked by
 * tests/api/credit_token_sale.t), the token's expiry as a database time and
 * the AAD its key is sealed with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/tokencrypt.h"
#include "credit-server/credit.h"

#define KEY_ID "AAAAAAAAAAAAAAAAAAAAAA"
#define NUMBER "nonce-nonce-nonce-ciphertext-ciphertext-tag-tag-tag-tag"
#define KEY "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

static void token_0100(struct iso_msg *m)
{
  iso_msg_init(m, "0100");
  assert_int_equal(iso_set(m, 3, "000000"), ISO_OK);
  assert_int_equal(iso_set(m, 4, "000000002592"), ISO_OK);
  assert_int_equal(iso_set(m, 7, "1205094303"), ISO_OK);
  assert_int_equal(iso_set(m, 11, "000042"), ISO_OK);
  assert_int_equal(iso_set(m, 41, "pos-1111"), ISO_OK);
  assert_int_equal(iso_set(m, 42, "1111111111     "), ISO_OK);
  assert_int_equal(iso_set(m, 48, "PML 00"), ISO_OK);
  assert_int_equal(iso_set(m, 49, "392"), ISO_OK);
  assert_int_equal(iso_set(m, 60, KEY_ID), ISO_OK);
  assert_int_equal(iso_set(m, 61, NUMBER), ISO_OK);
  assert_int_equal(iso_set(m, 62, "20261205101500"), ISO_OK);
}

static void key_0600(struct iso_msg *m)
{
  iso_msg_init(m, "0600");
  assert_int_equal(iso_set(m, 4, "000000002592"), ISO_OK);
  assert_int_equal(iso_set(m, 7, "1205094303"), ISO_OK);
  assert_int_equal(iso_set(m, 11, "000043"), ISO_OK);
  assert_int_equal(iso_set(m, 41, "pos-1111"), ISO_OK);
  assert_int_equal(iso_set(m, 42, "1111111111     "), ISO_OK);
  assert_int_equal(iso_set(m, 49, "392"), ISO_OK);
  assert_int_equal(iso_set(m, 60, KEY_ID), ISO_OK);
  assert_int_equal(iso_set(m, 61, NUMBER), ISO_OK);
  assert_int_equal(iso_set(m, 62, "20261205101500"), ISO_OK);
  assert_int_equal(iso_set(m, 63, KEY), ISO_OK);
}

/* A copy of m without field `drop`. */
static void without(const struct iso_msg *m, int drop, struct iso_msg *out)
{
  iso_msg_init(out, m->mti);
  for (int f = 2; f <= 128; f++)
    if (f != drop && iso_get(m, f))
      assert_int_equal(iso_set(out, f, iso_get(m, f)), ISO_OK);
}

static void peers_are_named_for_the_key(void **state)
{
  (void)state;
  struct credit_peer p;

  credit_peer_set(&p, NULL);
  assert_int_equal(p.role, PEER_ACQUIRER);
  assert_string_equal(p.key, "acquirer");
  credit_peer_set(&p, "1111111111");
  assert_int_equal(p.role, PEER_MERCHANT);
  assert_string_equal(p.merchant_code, "1111111111");
  assert_string_equal(p.key, "merchant-1111111111");
}

static void who_may_send_what(void **state)
{
  (void)state;
  struct credit_peer acquirer, merchant, other, nobody;
  struct iso_msg tok, gw, key, echo, rev, m;

  credit_peer_set(&acquirer, NULL);
  credit_peer_set(&merchant, "1111111111");
  credit_peer_set(&other, "2222222222");
  memset(&nobody, 0, sizeof nobody);
  token_0100(&tok);
  key_0600(&key);
  without(&tok, 60, &gw);
  without(&gw, 61, &m);
  without(&m, 62, &gw);
  assert_int_equal(iso_set(&gw, 2, "1525000012345678"), ISO_OK);
  assert_int_equal(iso_set(&gw, 14, "3012"), ISO_OK);
  iso_msg_init(&echo, "0800");
  assert_int_equal(iso_set(&echo, 70, "301"), ISO_OK);
  iso_msg_init(&rev, "0401");
  assert_int_equal(iso_set(&rev, 42, "1111111111     "), ISO_OK);

  /* acquirers: the gateway's 0100, 0400/0401, 0600, 0800; never a token 0100 */
  assert_null(credit_permission(&acquirer, &gw));
  assert_null(credit_permission(&acquirer, &rev));
  assert_null(credit_permission(&acquirer, &key));
  assert_null(credit_permission(&acquirer, &echo));
  assert_string_equal(credit_permission(&acquirer, &tok), "58");
  struct iso_msg tmp;
  without(&tok, 61, &tmp); /* one token field is enough to make it a token 0100 */
  without(&tmp, 62, &m);
  assert_int_equal(iso_set(&m, 2, "1525000012345678"), ISO_OK);
  assert_string_equal(credit_permission(&acquirer, &m), "58");

  /* merchants: their token 0100, their reversals, 0800; field 42 their own */
  assert_null(credit_permission(&merchant, &tok));
  assert_null(credit_permission(&merchant, &rev));
  assert_null(credit_permission(&merchant, &echo));
  assert_string_equal(credit_permission(&merchant, &key), "58");
  assert_string_equal(credit_permission(&merchant, &gw), "58");
  assert_string_equal(credit_permission(&other, &tok), "58");
  assert_string_equal(credit_permission(&other, &rev), "58");
  without(&tok, 42, &m);
  assert_string_equal(credit_permission(&merchant, &m), "58");
  assert_int_equal(iso_set(&m, 42, "11111111110    "), ISO_OK);
  assert_string_equal(credit_permission(&merchant, &m), "58");
  assert_int_equal(iso_set(&m, 2, "1525000012345678"), ISO_OK);
  assert_int_equal(iso_set(&m, 42, "1111111111     "), ISO_OK);
  assert_string_equal(credit_permission(&merchant, &m), "58");
  iso_msg_init(&m, "0200");
  assert_int_equal(iso_set(&m, 42, "1111111111     "), ISO_OK);
  assert_string_equal(credit_permission(&merchant, &m), "58");

  /* nobody (a zeroed job): nothing */
  assert_string_equal(credit_permission(&nobody, &echo), "58");
  assert_string_equal(credit_permission(&nobody, &gw), "58");
}

static void parses_a_token_0100(void **state)
{
  (void)state;
  struct iso_msg m;
  struct token_request tr;
  int bad = -1;

  token_0100(&m);
  assert_true(credit_token_request_parse(&m, &tr, &bad));
  assert_string_equal(tr.key_id, KEY_ID);
  assert_string_equal(tr.number, NUMBER);
  assert_string_equal(tr.token_expiry, "20261205101500");
  assert_int_equal(tr.base.amount, 2592);
  assert_string_equal(tr.base.merchant_code, "1111111111");
  assert_string_equal(tr.base.terminal_id, "pos-1111");
  assert_string_equal(tr.base.method, "L");
  assert_string_equal(tr.base.pan, "");
  assert_string_equal(tr.base.expiry, "");
}

static void refuses_a_token_0100_with_a_missing_or_bad_field(void **state)
{
  (void)state;
  static const int mandatory[] = { 3, 4, 7, 11, 41, 42, 48, 49, 60, 61, 62 };
  static const struct {
    int field;
    const char *value;
  } bad_values[] = {
    { 60, "AAAAAAAAAAAAAAAAAAAAA" },                                            /* 21 characters */
    { 60, "AAAAAAAAAAAAAAAAAAAAA+" },                                           /* not base64url */
    { 61, "short" },                                                            /* under 51 */
    { 61, "nonce-nonce-nonce-ciphertext-ciphertext-tag-tag-tag-ta=" },          /* padding */
    { 61, "nonce-nonce-nonce-ciphertext-ciphertext-tag-tag-tag-tag-tag-tagg" }, /* 64 */
    { 62, "20261305101500" },                                                   /* month 13 */
    { 62, "2026120510150" },                                                    /* 13 digits */
    { 14, "3012" },                                                             /* no field 14 */
    { 3, "200000" },
    { 4, "000000000000" },
  };
  struct iso_msg m, partial;
  struct token_request tr;
  int bad = 0;

  token_0100(&m);
  for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++) {
    without(&m, mandatory[i], &partial);
    assert_false(credit_token_request_parse(&partial, &tr, &bad));
    assert_int_equal(bad, mandatory[i]);
  }
  for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
    token_0100(&partial);
    if (iso_set(&partial, bad_values[i].field, bad_values[i].value) != ISO_OK)
      continue; /* the codec itself refuses it: the message would not decode (30 as well) */
    assert_false(credit_token_request_parse(&partial, &tr, &bad));
    assert_int_equal(bad, bad_values[i].field);
  }
  /* the shortest number (10 digits: 51 characters) and the longest (19: 63) pass */
  token_0100(&partial);
  assert_int_equal(iso_set(&partial, 61, "nonce-nonce-nonce-ciphertext-ciphertext-tag-tag-tag"), ISO_OK);
  assert_true(credit_token_request_parse(&partial, &tr, &bad));
  assert_int_equal(iso_set(&partial, 61, "nonce-nonce-nonce-ciphertext-ciphertext-tag-tag-tag-tag-tag-tag"), ISO_OK);
  assert_true(credit_token_request_parse(&partial, &tr, &bad));
}

static void parses_a_0600_and_refuses_what_it_lacks(void **state)
{
  (void)state;
  static const int mandatory[] = { 4, 7, 11, 41, 42, 49, 60, 61, 62, 63 };
  struct iso_msg m, partial;
  struct key_delivery kd;
  int bad = -1;

  key_0600(&m);
  assert_true(credit_key_delivery_parse(&m, &kd, &bad));
  assert_int_equal(kd.amount, 2592);
  assert_string_equal(kd.currency, "392");
  assert_string_equal(kd.merchant_code, "1111111111");
  assert_string_equal(kd.terminal_id, "pos-1111");
  assert_string_equal(kd.key_id, KEY_ID);
  assert_string_equal(kd.number, NUMBER);
  assert_string_equal(kd.token_expiry, "20261205101500");
  assert_string_equal(kd.key_text, KEY);
  for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++) {
    without(&m, mandatory[i], &partial);
    assert_false(credit_key_delivery_parse(&partial, &kd, &bad));
    assert_int_equal(bad, mandatory[i]);
    assert_string_equal(kd.key_text, ""); /* nothing of the key kept on a refusal */
  }
  key_0600(&partial);
  assert_int_equal(iso_set(&partial, 63, "BBBB"), ISO_OK);
  assert_false(credit_key_delivery_parse(&partial, &kd, &bad));
  assert_int_equal(bad, 63);
  key_0600(&partial);
  assert_int_equal(iso_set(&partial, 2, "1525000012345678"), ISO_OK);
  assert_false(credit_key_delivery_parse(&partial, &kd, &bad));
  assert_int_equal(bad, 2);
}

static void early_refusals_in_the_table_order(void **state)
{
  (void)state;
  /* each refusal wins over every one below it */
  assert_string_equal(credit_token_early_code(false, false, false, false), "58");
  assert_string_equal(credit_token_early_code(false, true, true, true), "58");
  assert_string_equal(credit_token_early_code(true, false, false, false), "30");
  assert_string_equal(credit_token_early_code(true, false, true, true), "30");
  assert_string_equal(credit_token_early_code(true, true, false, false), "14");
  assert_string_equal(credit_token_early_code(true, true, false, true), "14");
  assert_string_equal(credit_token_early_code(true, true, true, false), "14");
  assert_null(credit_token_early_code(true, true, true, true));
}

static void expiry_and_key_aad(void **state)
{
  (void)state;
  char ts[CREDIT_TIMESTAMP_LEN];
  unsigned char aad[CREDIT_TOKEN_KEY_AAD_MAX];

  assert_true(credit_token_expiry_timestamp("20261205101500", ts));
  assert_string_equal(ts, "2026-12-05 10:15:00+00");
  assert_false(credit_token_expiry_timestamp("20260230101500", ts)); /* 30 February */
  assert_false(credit_token_expiry_timestamp("2026120510150x", ts));
  assert_false(credit_token_expiry_timestamp(NULL, ts));

  int n = credit_token_key_aad(KEY_ID, aad);
  assert_int_equal(n, (int)strlen("paygw-token-key|" KEY_ID));
  assert_memory_equal(aad, "paygw-token-key|" KEY_ID, (size_t)n);
  assert_int_equal(credit_token_key_aad("short", aad), -1);
  assert_int_equal(credit_token_key_aad("AAAAAAAAAAAAAAAAAAAAA|", aad), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(peers_are_named_for_the_key),
    cmocka_unit_test(who_may_send_what),
    cmocka_unit_test(parses_a_token_0100),
    cmocka_unit_test(refuses_a_token_0100_with_a_missing_or_bad_field),
    cmocka_unit_test(parses_a_0600_and_refuses_what_it_lacks),
    cmocka_unit_test(early_refusals_in_the_table_order),
    cmocka_unit_test(expiry_and_key_aad),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
