/* test_common.c — unit tests for lib/common: card-number rules, card
 * encryption and lookup hashes, base64url, argon2id, Ed25519, config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/b64url.h"
#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/ed25519.h"
#include "common/log.h"
#include "common/pan.h"
#include "common/pwhash.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void luhn_accepts_valid_and_refuses_invalid(void **state)
{
  (void)state;
  assert_true(pan_is_valid("1525000012345678"));
  assert_true(pan_is_valid("4111111111111111"));
  assert_false(pan_is_valid("1525000012345679"));     /* check digit off by one */
  assert_false(pan_is_valid("15250000123"));          /* 11 digits: too short */
  assert_false(pan_is_valid("15250000123456789012")); /* 20 digits: too long */
  assert_false(pan_is_valid("1525 0000 1234 5678"));
  assert_false(pan_is_valid(""));
  assert_false(pan_is_valid(NULL));
  assert_true(pan_is_valid("0000000000000")); /* 13 zeros pass Luhn */
}

/* The one rule (PCI DSS 3.4.1): at most the first 6 and the last 4 digits,
 * never fewer than 6 hidden; under 16 digits the last 4 only.  Every length
 * a card number may have, written out (not computed by the same rule). */
static void mask_every_length_hides_six_or_more(void **state)
{
  static const struct {
    const char *pan, *masked;
  } cases[] = {
    { "123456789012", "********9012" }, /* 12: 8 hidden, not 2 */
    { "1234567890123", "*********0123" },
    { "12345678901234", "**********1234" },
    { "123456789012345", "***********2345" },   /* 15: 11 hidden, not 5 */
    { "1525000012345678", "152500******5678" }, /* 16: first 6 + last 4, 6 hidden */
    { "15250000123456789", "152500*******6789" },
    { "152500001234567890", "152500********7890" },
    { "1525000012345678901", "152500*********8901" }, /* 19: 9 hidden */
  };
  char out[32];
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len = strlen(cases[i].pan), hidden = 0;
    assert_true(len >= PAN_MIN_LEN && len <= PAN_MAX_LEN);
    pan_mask(cases[i].pan, out, sizeof out);
    assert_string_equal(out, cases[i].masked);
    for (const char *p = out; *p; p++)
      hidden += *p == '*';
    assert_true(hidden >= 6);
  }
  assert_int_equal(PAN_MIN_LEN, 12); /* the table starts at the shortest */
  assert_int_equal(PAN_MAX_LEN, 19);
}

/* What is not a card number shows no digit; a buffer too small, none. */
static void mask_refuses_what_is_not_a_card_number(void **state)
{
  char out[32];
  (void)state;
  pan_mask("123456789", out, sizeof out);
  assert_string_equal(out, "****");
  pan_mask("12345678901", out, sizeof out); /* 11 digits */
  assert_string_equal(out, "****");
  pan_mask("15250000123456789012", out, sizeof out); /* 20 digits */
  assert_string_equal(out, "****");
  pan_mask("1525 0000 1234 5678", out, sizeof out);
  assert_string_equal(out, "****");
  pan_mask("", out, sizeof out);
  assert_string_equal(out, "****");
  pan_mask("1525000012345678", out, 8); /* buffer too small */
  assert_string_equal(out, "****");
}

/* A mask masked again keeps what the rule lets it show: a store or answer
 * written under the old rule (first 6 of a 13-digit card) is corrected;
 * only a mask pan_mask leaves alone conforms, never a clear number. */
static void mask_of_a_mask_applies_the_rule(void **state)
{
  char out[32];
  (void)state;
  pan_mask("123456***0123", out, sizeof out); /* the old rule's 13 digits */
  assert_string_equal(out, "*********0123");
  pan_mask("152500******5678", out, sizeof out);
  assert_string_equal(out, "152500******5678");
  pan_mask("****************", out, sizeof out);
  assert_string_equal(out, "****************");
  assert_true(pan_mask_conforms("152500******5678"));
  assert_true(pan_mask_conforms("**********1234"));
  assert_true(pan_mask_conforms("152500*********8901"));
  assert_false(pan_mask_conforms("1525000012345678")); /* a clear number */
  assert_false(pan_mask_conforms("123456***0123"));    /* first 6 of a short card */
  assert_false(pan_mask_conforms("1525000*****5678")); /* 7 shown in front */
  assert_false(pan_mask_conforms("(withheld)"));
  assert_false(pan_mask_conforms("****"));
  assert_false(pan_mask_conforms(""));
  assert_false(pan_mask_conforms(NULL));
}

static void expiry_rules(void **state)
{
  (void)state;
  assert_true(expiry_is_wellformed("3012"));
  assert_false(expiry_is_wellformed("3013"));
  assert_false(expiry_is_wellformed("3000"));
  assert_false(expiry_is_wellformed("301"));
  assert_false(expiry_is_wellformed("30a2"));
  long nov_2026 = 1795000000;                        /* 2026-11-18 */
  assert_false(expiry_has_passed("2611", nov_2026)); /* valid through the month */
  assert_true(expiry_has_passed("2610", nov_2026));
  assert_true(expiry_has_passed("2512", nov_2026));
  assert_false(expiry_has_passed("2701", nov_2026));
}

static char keyfile[64];

static int make_keyfile(void **state)
{
  char err[256];
  (void)state;
  snprintf(keyfile, sizeof keyfile, "/tmp/paygw-test-keys-%d", (int)getpid());
  unlink(keyfile);
  return cardkeys_create(keyfile, err, sizeof err);
}

static int remove_keyfile(void **state)
{
  (void)state;
  unlink(keyfile);
  return 0;
}

/* The binding of a test row: id and the lookup hash of pan. */
static struct card_binding bind_row(long long id, const char *pan, char lookup[CARDCRYPT_LOOKUP_HEX])
{
  assert_int_equal(card_lookup_hash(pan, lookup), 0);
  return (struct card_binding){ .row_id = id, .lookup_hex = lookup };
}

static void card_encryption_round_trip_and_tamper(void **state)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  size_t len;
  int key_id;
  char pan[32], lookup[CARDCRYPT_LOOKUP_HEX];
  (void)state;
  struct card_binding b = bind_row(7, "1525000012345678", lookup);

  assert_int_equal(card_encrypt("1525000012345678", &b, blob, &len, &key_id), 0);
  assert_int_equal(key_id, 1);
  assert_int_equal(len, 12 + 16 + 16);
  assert_null(memmem(blob, len, "1525000012345678", 16));
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &b, blob, len, pan, sizeof pan), 0);
  assert_string_equal(pan, "1525000012345678");

  blob[20] ^= 1; /* tampered ciphertext */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &b, blob, len, pan, sizeof pan), -1);
  blob[20] ^= 1;
  assert_int_equal(card_decrypt(2, CARD_AAD_V2, &b, blob, len, pan, sizeof pan), -1);     /* unknown key */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &b, blob, 20, pan, sizeof pan), -1); /* truncated */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &b, blob, len, pan, 8), -1);         /* no room */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, NULL, blob, len, pan, sizeof pan), -1);

  unsigned char blob2[CARDCRYPT_MAX_BLOB];
  size_t len2;
  assert_int_equal(card_encrypt("1525000012345678", &b, blob2, &len2, &key_id), 0);
  assert_memory_not_equal(blob, blob2, len); /* fresh IV every time */
  struct card_binding no_row = { .row_id = 0, .lookup_hex = lookup };
  assert_int_equal(card_encrypt("1525000012345678", &no_row, blob2, &len2, &key_id), -1);
  assert_int_equal(card_encrypt("1525000012345678", NULL, blob2, &len2, &key_id), -1);
}

/* A ciphertext decrypts only in its own row, next to its own lookup hash,
 * under its own key ID and AAD format. */
static void card_ciphertext_is_bound_to_its_row(void **state)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  size_t len;
  int key_id;
  char pan[32], lookup[CARDCRYPT_LOOKUP_HEX], other_lookup[CARDCRYPT_LOOKUP_HEX];
  (void)state;
  struct card_binding b = bind_row(41, "1525000012345678", lookup);
  struct card_binding other = bind_row(42, "1360000123456784", other_lookup);

  assert_int_equal(card_encrypt("1525000012345678", &b, blob, &len, &key_id), 0);
  struct card_binding moved = { .row_id = 42, .lookup_hex = lookup }; /* copied to row 42 */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &moved, blob, len, pan, sizeof pan), -1);
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &other, blob, len, pan, sizeof pan), -1);
  struct card_binding rehashed = { .row_id = 41, .lookup_hex = other_lookup }; /* another hash */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &rehashed, blob, len, pan, sizeof pan), -1);
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V1, &b, blob, len, pan, sizeof pan), -1); /* downgraded */
  for (size_t i = 0; i < sizeof pan; i++)
    assert_int_equal(pan[i], 0); /* a refused decryption leaves nothing */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &b, blob, len, pan, sizeof pan), 0);
  assert_string_equal(pan, "1525000012345678");
}

/* Rows sealed before the binding (AAD format 1, the key ID only) still
 * decrypt, but only next to their own card's lookup hash. */
static void card_old_format_still_decrypts_in_its_row(void **state)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  size_t len;
  int key_id;
  char pan[32], lookup[CARDCRYPT_LOOKUP_HEX], other_lookup[CARDCRYPT_LOOKUP_HEX];
  (void)state;
  struct card_binding b = bind_row(5, "1525000012345678", lookup);
  struct card_binding other = bind_row(6, "1360000123456784", other_lookup);

  assert_int_equal(card_encrypt_as(CARD_AAD_V1, "1525000012345678", &b, blob, &len, &key_id), 0);
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V1, &b, blob, len, pan, sizeof pan), 0);
  assert_string_equal(pan, "1525000012345678");
  struct card_binding any_row = { .row_id = 99, .lookup_hex = lookup }; /* format 1 names no row */
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V1, &any_row, blob, len, pan, sizeof pan), 0);
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V1, &other, blob, len, pan, sizeof pan), -1);
  assert_int_equal(card_decrypt(key_id, CARD_AAD_V2, &b, blob, len, pan, sizeof pan), -1);
  assert_int_equal(card_encrypt_as(3, "1525000012345678", &b, blob, &len, &key_id), -1); /* no such format */
}

/* The AAD of format 2, byte for byte: tag, format, key id, row id, hash. */
static void card_aad_encoding_is_fixed_width(void **state)
{
  static const char hash[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  unsigned char aad[CARDCRYPT_AAD_MAX], aad2[CARDCRYPT_AAD_MAX];
  struct card_binding b = { .row_id = 0x0102030405LL, .lookup_hex = hash };
  unsigned char want[CARDCRYPT_AAD_V2_LEN] = { 'p', 'a', 'y', 'g', 'w', '-', 'c', 'a',
                                               'r', 'd', 2,   0,   0,   1,   3,        /* key 259 */
                                               0,   0,   0,   1,   2,   3,   4,   5 }; /* row 0x0102030405 */
  (void)state;
  for (int i = 0; i < 32; i++)
    want[23 + i] = (unsigned char)i;
  assert_int_equal(card_aad(CARD_AAD_V2, 259, &b, aad), CARDCRYPT_AAD_V2_LEN);
  assert_memory_equal(aad, want, CARDCRYPT_AAD_V2_LEN);

  /* key 1 / row 23 and key 12 / row 3 differ: no digits run together */
  struct card_binding r23 = { .row_id = 23, .lookup_hex = hash }, r3 = { .row_id = 3, .lookup_hex = hash };
  assert_int_equal(card_aad(CARD_AAD_V2, 1, &r23, aad), CARDCRYPT_AAD_V2_LEN);
  assert_int_equal(card_aad(CARD_AAD_V2, 12, &r3, aad2), CARDCRYPT_AAD_V2_LEN);
  assert_memory_not_equal(aad, aad2, CARDCRYPT_AAD_V2_LEN);

  assert_int_equal(card_aad(CARD_AAD_V1, 3, NULL, aad), 15);
  assert_memory_equal(aad, "paygw-card-v1:3", 15);

  struct card_binding bad = { .row_id = 1, .lookup_hex = "00010203" }; /* short hash */
  assert_int_equal(card_aad(CARD_AAD_V2, 1, &bad, aad), -1);
  bad.lookup_hex = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"; /* upper case */
  assert_int_equal(card_aad(CARD_AAD_V2, 1, &bad, aad), -1);
  struct card_binding neg = { .row_id = -1, .lookup_hex = hash };
  assert_int_equal(card_aad(CARD_AAD_V2, 1, &neg, aad), -1);
  assert_int_equal(card_aad(CARD_AAD_V2, 0, &b, aad), -1);
  assert_int_equal(card_aad(CARD_AAD_V2, 1, NULL, aad), -1);
  assert_int_equal(card_aad(0, 1, &b, aad), -1);
}

static void key_rotation_keeps_old_rows_readable(void **state)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB], blob2[CARDCRYPT_MAX_BLOB];
  size_t len, len2;
  int old_id, new_id;
  char pan[32], err[256], lookup[CARDCRYPT_LOOKUP_HEX];
  (void)state;
  struct card_binding b = bind_row(3, "4111111111111111", lookup);

  assert_int_equal(card_encrypt("4111111111111111", &b, blob, &len, &old_id), 0);
  new_id = cardkeys_add_data_key(keyfile, err, sizeof err);
  assert_int_equal(new_id, old_id + 1);
  assert_int_equal(cardkeys_current_id(), new_id);
  assert_int_equal(card_decrypt(old_id, CARD_AAD_V2, &b, blob, len, pan, sizeof pan), 0);
  assert_string_equal(pan, "4111111111111111");
  assert_int_equal(card_encrypt("4111111111111111", &b, blob2, &len2, &new_id), 0);
  assert_int_equal(new_id, cardkeys_current_id());
  /* a blob cannot be passed off under another key id (the id is in the AAD) */
  assert_int_equal(card_decrypt(old_id, CARD_AAD_V2, &b, blob2, len2, pan, sizeof pan), -1);
}

static void lookup_hash_is_keyed_and_stable(void **state)
{
  char a[CARDCRYPT_LOOKUP_HEX], b[CARDCRYPT_LOOKUP_HEX], c[CARDCRYPT_LOOKUP_HEX];
  (void)state;
  assert_int_equal(card_lookup_hash("1525000012345678", a), 0);
  assert_int_equal(card_lookup_hash("1525000012345678", b), 0);
  assert_int_equal(card_lookup_hash("1525000012345686", c), 0);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
  assert_int_equal(strlen(a), 64);
  /* not the plain SHA-256 of the number */
  assert_string_not_equal(a, "b3a8b1a8e3c7f9b1d2f4e7c1a7d0e3b1c9f0a2e4d6b8c0a2e4f6a8b0c2d4e6f8");
}

static void key_file_must_be_private(void **state)
{
  char err[256];
  (void)state;
  chmod(keyfile, 0644);
  assert_int_equal(cardkeys_load(keyfile, err, sizeof err), -1);
  assert_non_null(strstr(err, "chmod 600"));
  chmod(keyfile, 0600);
  assert_int_equal(cardkeys_load(keyfile, err, sizeof err), 0);
  assert_int_equal(cardkeys_load("/nonexistent/keys", err, sizeof err), -1);
}

static void malformed_key_file_is_refused(void **state)
{
  char path[80], err[256];
  (void)state;
  snprintf(path, sizeof path, "/tmp/paygw-test-badkeys-%d", (int)getpid());
  FILE *f = fopen(path, "w");
  fputs("data-key 1 abcd\nlookup-key 00\n", f);
  fclose(f);
  chmod(path, 0600);
  assert_int_equal(cardkeys_load(path, err, sizeof err), -1);
  assert_non_null(strstr(err, "line 1"));
  assert_int_equal(cardkeys_current_id(), 0); /* nothing half-loaded */
  unlink(path);
  assert_int_equal(cardkeys_load(keyfile, err, sizeof err), 0);
}

static void b64url_round_trip_and_strictness(void **state)
{
  unsigned char in[5] = { 0xfb, 0xff, 0x00, 0x10, 0x7e }, out[8];
  char text[16];
  (void)state;
  for (size_t n = 0; n <= 5; n++) {
    b64url_encode(in, n, text);
    assert_int_equal(strlen(text), b64url_encoded_len(n));
    assert_int_equal(b64url_decode(text, out, sizeof out), (long)n);
    assert_memory_equal(in, out, n);
  }
  b64url_encode(in, 2, text);
  assert_string_equal(text, "-_8");
  assert_int_equal(b64url_decode("+/8", out, sizeof out), -1);  /* standard alphabet */
  assert_int_equal(b64url_decode("-_8=", out, sizeof out), -1); /* padding */
  assert_int_equal(b64url_decode("A", out, sizeof out), -1);    /* impossible length */
  assert_int_equal(b64url_decode("-_9", out, sizeof out), -1);  /* non-zero spare bits */
  assert_int_equal(b64url_decode("AAAAAAAAAAAA", out, 4), -1);  /* would overflow */
}

static void argon2id_hashes_verify(void **state)
{
  char hash[PWHASH_ENCODED_MAX], hash2[PWHASH_ENCODED_MAX];
  (void)state;
  assert_int_equal(pwhash_make("demo-pass-00001", hash), 0);
  assert_non_null(strstr(hash, "$argon2id$v=19$m=19456,t=2,p=1$"));
  assert_true(pwhash_verify(hash, "demo-pass-00001"));
  assert_false(pwhash_verify(hash, "demo-pass-00002"));
  assert_false(pwhash_verify(hash, ""));
  assert_false(pwhash_verify("$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA", "x"));
  assert_false(pwhash_verify(NULL, "x"));
  assert_int_equal(pwhash_make("demo-pass-00001", hash2), 0);
  assert_string_not_equal(hash, hash2); /* fresh salt */
}

static void ed25519_sign_verify_and_pem(void **state)
{
  unsigned char pub[32], priv[32], pub2[32], priv2[32], sig[64];
  char path[80];
  (void)state;
  assert_int_equal(ed25519_keypair(pub, priv), 0);
  assert_int_equal(ed25519_sign(priv, "challenge", 9, sig), 0);
  assert_true(ed25519_verify(pub, "challenge", 9, sig));
  assert_false(ed25519_verify(pub, "challengf", 9, sig));
  sig[0] ^= 1;
  assert_false(ed25519_verify(pub, "challenge", 9, sig));

  snprintf(path, sizeof path, "/tmp/paygw-test-ed-%d.pem", (int)getpid());
  unlink(path);
  assert_int_equal(ed25519_write_private_pem(path, priv, false), 0);
  assert_int_equal(ed25519_write_private_pem(path, priv, false), -1); /* no overwrite */
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(ed25519_read_private_pem(path, priv2, pub2), 0);
  assert_memory_equal(priv, priv2, 32);
  assert_memory_equal(pub, pub2, 32);
  char *pem = ed25519_public_pem(pub);
  assert_non_null(pem);
  assert_non_null(strstr(pem, "BEGIN PUBLIC KEY"));
  free(pem);
  unlink(path);
}

static void config_bounds_and_fallbacks(void **state)
{
  (void)state;
  unsetenv("PAYGW_TEST_N");
  assert_int_equal(config_long("PAYGW_TEST_N", 120, 1, 600), 120);
  setenv("PAYGW_TEST_N", "30", 1);
  assert_int_equal(config_long("PAYGW_TEST_N", 120, 1, 600), 30);
  setenv("PAYGW_TEST_N", "9999", 1);
  assert_int_equal(config_long("PAYGW_TEST_N", 120, 1, 600), 120);
  setenv("PAYGW_TEST_N", "12x", 1);
  assert_int_equal(config_long("PAYGW_TEST_N", 120, 1, 600), 120);
  setenv("PAYGW_TEST_N", "", 1);
  assert_string_equal(config_str("PAYGW_TEST_N", "dflt"), "dflt");
  setenv("PAYGW_TEST_N", "true", 1);
  assert_true(config_bool("PAYGW_TEST_N", false));
  setenv("PAYGW_TEST_N", "0", 1);
  assert_false(config_bool("PAYGW_TEST_N", true));
}

static void scrub_masks_card_number_runs(void **state)
{
  (void)state;
  char plain[] = "no transaction 1525000012345678 for this merchant";
  assert_string_equal(pan_scrub(plain), "no transaction **************** for this merchant");
  char spaced[] = "got '1525 0000 1234 5678'";
  assert_string_equal(pan_scrub(spaced), "got '**** **** **** ****'");
  char dashed[] = "(1525-0000-1234-5678)";
  assert_string_equal(pan_scrub(dashed), "(****-****-****-****)");
  char twelve[] = "123456789012"; /* PAN_MIN_LEN digits: masked */
  assert_string_equal(pan_scrub(twelve), "************");
  char eleven[] = "must be between 0 and 10000000000, got 12345678901";
  assert_string_equal(pan_scrub(eleven), "must be between 0 and 10000000000, got 12345678901");
  char stamp[] = "2026-11-25T13:33:39.911Z 2026-11-25 13:33"; /* dates stay readable */
  assert_string_equal(pan_scrub(stamp), "2026-11-25T13:33:39.911Z 2026-11-25 13:33");
  char two_spaces[] = "123456  789012"; /* a double space ends a run */
  assert_string_equal(pan_scrub(two_spaces), "123456  789012");
  char grouped[] = "999,999,999,999"; /* commas end runs: totals stay readable */
  assert_string_equal(pan_scrub(grouped), "999,999,999,999");
  char trailing[] = "1234567890123-";
  assert_string_equal(pan_scrub(trailing), "*************-");
  char hex[] = "4a528e73464877270136a82a6c0b7d2b"; /* a request ID keeps its digits */
  assert_string_equal(pan_scrub(hex), "4a528e73464877270136a82a6c0b7d2b");
  char txn[] = "/v1/transactions/A152500001234567"; /* so does a transaction number */
  assert_string_equal(pan_scrub(txn), "/v1/transactions/A152500001234567");
  char quoted[] = "'1525000012345678'_(1525000012345678)"; /* punctuation is no word */
  assert_string_equal(pan_scrub(quoted), "'****************'_(****************)");
  char empty[] = "";
  assert_string_equal(pan_scrub(empty), "");
}

/* log_event masks card numbers in every string, nested ones too */
static void log_lines_hold_no_card_number(void **state)
{
  (void)state;
  char path[] = "/tmp/paygw-test-log-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  fflush(stderr);
  int saved = dup(2);
  assert_int_equal(dup2(fd, 2), 2);
  log_msg(LOG_INFO, "unknown user %s", "1525000012345678");
  log_event(LOG_INFO, json_pack("{s:s, s:{s:[s]}, s:i}", "path", "/v1/transactions/1525000012345678", "nested", "list",
                                "1525 0000 1234 5678", "count", 7));
  fflush(stderr);
  dup2(saved, 2);
  close(saved);

  char text[2048] = "";
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  unlink(path);
  close(fd);
  assert_null(strstr(text, "1525000012345678"));
  assert_null(strstr(text, "1525 0000"));
  assert_non_null(strstr(text, "unknown user ****************"));
  assert_non_null(strstr(text, "\"path\":\"/v1/transactions/****************\""));
  assert_non_null(strstr(text, "\"list\":[\"**** **** **** ****\"]"));
  assert_non_null(strstr(text, "\"count\":7"));
}

static char *read_whole(const char *path)
{
  static char text[4096];
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  return text;
}

/* PAYGW_LOG_FILE: lines go to the file; after it is renamed (logrotate) a
 * SIGHUP or a SIGUSR2 makes the next line land in a new file of that name,
 * and neither signal ends the program */
static void log_file_reopens_on_sighup(void **state)
{
  (void)state;
  char dir[] = "/tmp/paygw-test-logdir-XXXXXX", path[256], rotated[256], rotated2[256];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/gateway.log", dir);
  snprintf(rotated, sizeof rotated, "%s/gateway.log.1", dir);
  snprintf(rotated2, sizeof rotated2, "%s/gateway.log.2", dir);
  fflush(stderr);
  int saved = dup(2);

  setenv("PAYGW_LOG_FILE", path, 1);
  log_init("test");
  log_msg(LOG_INFO, "line one");
  assert_int_equal(rename(path, rotated), 0);
  log_msg(LOG_INFO, "line two, before the signal"); /* still the renamed file */
  assert_int_equal(raise(SIGHUP), 0);
  log_msg(LOG_INFO, "line three, after SIGHUP");
  assert_int_equal(rename(path, rotated2), 0);
  assert_int_equal(raise(SIGUSR2), 0);
  log_msg(LOG_INFO, "line four, after SIGUSR2");
  fprintf(stderr, "plain stderr\n"); /* descriptor 2 is the file */

  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  unsetenv("PAYGW_LOG_FILE");
  log_init("test");

  char *text = read_whole(rotated);
  assert_non_null(text);
  assert_non_null(strstr(text, "line one"));
  assert_non_null(strstr(text, "line two"));
  assert_null(strstr(text, "line three"));
  text = read_whole(rotated2);
  assert_non_null(text);
  assert_non_null(strstr(text, "\"msg\":\"line three, after SIGHUP\""));
  assert_null(strstr(text, "line four"));
  text = read_whole(path);
  assert_non_null(text);
  assert_non_null(strstr(text, "\"program\":\"test\""));
  assert_non_null(strstr(text, "line four, after SIGUSR2"));
  assert_non_null(strstr(text, "plain stderr"));
  assert_null(strstr(text, "line three"));
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777 & ~0640, 0); /* never world-readable */
  unlink(path);
  unlink(rotated);
  unlink(rotated2);
  rmdir(dir);
}

/* a log file that cannot be opened leaves stderr as it was, with a warning */
static void log_file_unopenable_keeps_stderr(void **state)
{
  (void)state;
  char path[] = "/tmp/paygw-test-log-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  fflush(stderr);
  int saved = dup(2);
  assert_int_equal(dup2(fd, 2), 2);
  setenv("PAYGW_LOG_FILE", "/nonexistent-dir/paygw.log", 1);
  log_init("test");
  log_msg(LOG_INFO, "still here");
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  unsetenv("PAYGW_LOG_FILE");
  log_init("test");
  char *text = read_whole(path);
  assert_non_null(text);
  assert_non_null(strstr(text, "cannot open the log file /nonexistent-dir/paygw.log"));
  assert_non_null(strstr(text, "still here"));
  unlink(path);
  close(fd);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(luhn_accepts_valid_and_refuses_invalid),
    cmocka_unit_test(mask_every_length_hides_six_or_more),
    cmocka_unit_test(mask_refuses_what_is_not_a_card_number),
    cmocka_unit_test(mask_of_a_mask_applies_the_rule),
    cmocka_unit_test(expiry_rules),
    cmocka_unit_test(card_encryption_round_trip_and_tamper),
    cmocka_unit_test(card_ciphertext_is_bound_to_its_row),
    cmocka_unit_test(card_old_format_still_decrypts_in_its_row),
    cmocka_unit_test(card_aad_encoding_is_fixed_width),
    cmocka_unit_test(key_rotation_keeps_old_rows_readable),
    cmocka_unit_test(lookup_hash_is_keyed_and_stable),
    cmocka_unit_test(key_file_must_be_private),
    cmocka_unit_test(malformed_key_file_is_refused),
    cmocka_unit_test(b64url_round_trip_and_strictness),
    cmocka_unit_test(argon2id_hashes_verify),
    cmocka_unit_test(ed25519_sign_verify_and_pem),
    cmocka_unit_test(config_bounds_and_fallbacks),
    cmocka_unit_test(scrub_masks_card_number_runs),
    cmocka_unit_test(log_lines_hold_no_card_number),
    cmocka_unit_test(log_file_reopens_on_sighup),
    cmocka_unit_test(log_file_unopenable_keeps_stderr),
  };
  int rc = make_keyfile(NULL);
  if (rc != 0)
    return 1;
  rc = cmocka_run_group_tests(tests, NULL, remove_keyfile);
  return rc;
}
