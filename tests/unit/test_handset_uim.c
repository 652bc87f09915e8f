/* test_handset_uim.c — the handset's UIM store: a good store parses; every
 * truncation and many garblings of it are refused as corrupt (never a
 * crash); the mode check; auth results with their expiry; the lock-out
 * counter; the atomic rewrite keeps unknown fields and mode 0600. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ed25519.h"
#include "common/pwhash.h"
#include "handset-client/uim.h"

static char *good_store; /* built once: keys and a hash are slow-ish */

static char *pem_of(const unsigned char raw[32], bool private_key)
{
  EVP_PKEY *k = private_key ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, 32)
                            : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, 32);
  BIO *b = BIO_new(BIO_s_mem());
  if (private_key)
    PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
  else
    PEM_write_bio_PUBKEY(b, k);
  char *data;
  long n = BIO_get_mem_data(b, &data);
  char *out = strndup(data, (size_t)n);
  BIO_free(b);
  EVP_PKEY_free(k);
  return out;
}

static int build_store(void **state)
{
  unsigned char dpub[32], dpriv[32], mpub[32], mpriv[32];
  char hash[PWHASH_ENCODED_MAX];
  (void)state;
  ed25519_keypair(dpub, dpriv);
  ed25519_keypair(mpub, mpriv);
  pwhash_make("demo-pass-00001", hash);
  char *dpem = pem_of(dpriv, true), *mpem = pem_of(mpub, false);
  json_t *root =
      json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}], s:[], s:s}",
                "format", "paygw-uim", "version", 1, "device_id", "1234567", "device_private_key", dpem, "gateway_url",
                "https://127.0.0.1:8443", "ca_cert", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                "gateway_message_public_key", mpem, "users", "user_id", "00001", "label", "Card A", "password_hash",
                hash, "card_masked", "152500******5678", "user_id", "00004", "label", "Card D", "password_hash", hash,
                "card_masked", "136000******6784", "auth_results", "future_field", "kept");
  good_store = json_dumps(root, JSON_INDENT(2));
  json_decref(root);
  free(dpem);
  free(mpem);
  return 0;
}

static int free_store(void **state)
{
  (void)state;
  free(good_store);
  return 0;
}

static void parses_good_store(void **state)
{
  struct uim_store s = { 0 };
  char err[256];
  (void)state;
  assert_int_equal(uim_parse(good_store, strlen(good_store), &s, err, sizeof err), UIM_OK);
  assert_string_equal(s.device_id, "1234567");
  assert_int_equal(s.n_users, 2);
  assert_non_null(uim_find_user(&s, "00004"));
  assert_string_equal(uim_find_user(&s, "00004")->label, "Card D");
  assert_null(uim_find_user(&s, "00002"));
  uim_free(&s);
}

static void truncated_store_is_corrupt(void **state)
{
  size_t n = strlen(good_store);
  char err[256];
  (void)state;
  for (size_t len = 0; len < n; len++) { /* every proper prefix */
    struct uim_store s = { 0 };
    enum uim_status st = uim_parse(good_store, len, &s, err, sizeof err);
    assert_int_equal(st, UIM_CORRUPT);
    assert_true(strlen(err) > 0);
    uim_free(&s);
  }
}

/* Overwrites one byte at many places: the result is either still a valid
 * store (a byte inside a label, say) or UIM_CORRUPT, and never a crash. */
static void garbled_store_never_crashes(void **state)
{
  size_t n = strlen(good_store);
  char *copy = malloc(n + 1), err[256];
  static const char garbage[] = { '\0', '"', '{', ']', '\\', (char)0xff, 'x', ',' };
  int corrupt = 0;
  (void)state;
  for (size_t pos = 0; pos < n; pos += 3)
    for (size_t g = 0; g < sizeof garbage; g++) {
      struct uim_store s = { 0 };
      memcpy(copy, good_store, n + 1);
      copy[pos] = garbage[g];
      enum uim_status st = uim_parse(copy, n, &s, err, sizeof err);
      assert_true(st == UIM_OK || st == UIM_CORRUPT);
      corrupt += st == UIM_CORRUPT;
      uim_free(&s);
    }
  assert_true(corrupt > 0);
  free(copy);
}

static void rejects_wrong_fields(void **state)
{
  static const struct {
    const char *path, *value;
  } edits[] = {
    { "format", "\"other\"" },
    { "version", "2" },
    { "device_id", "\"12 34\"" },
    { "gateway_url", "\"http://127.0.0.1\"" },
    { "device_private_key", "\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"" },
    { "gateway_message_public_key", "\"not a key\"" },
    { "ca_cert", "\"\"" },
    { "users", "{}" },
    { "auth_results", "5" },
    { "lockout", "[]" },
  };
  char err[256];
  (void)state;
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    json_t *root = json_loads(good_store, 0, NULL);
    json_object_set_new(root, edits[i].path, json_loads(edits[i].value, JSON_DECODE_ANY, NULL));
    char *text = json_dumps(root, 0);
    struct uim_store s = { 0 };
    assert_int_equal(uim_parse(text, strlen(text), &s, err, sizeof err), UIM_CORRUPT);
    uim_free(&s);
    free(text);
    json_decref(root);
  }
  /* a user whose hash is not argon2id */
  json_t *root = json_loads(good_store, 0, NULL);
  json_object_set_new(json_array_get(json_object_get(root, "users"), 0), "password_hash", json_string("plain"));
  char *text = json_dumps(root, 0);
  struct uim_store s = { 0 };
  assert_int_equal(uim_parse(text, strlen(text), &s, err, sizeof err), UIM_CORRUPT);
  assert_non_null(strstr(err, "00001"));
  uim_free(&s);
  free(text);
  json_decref(root);
}

/* A store written under the old masking rule (first 6 of a 13-digit card)
 * is shown by today's (last 4 only) and corrected in the store's JSON, so
 * the handset's next rewrite stores the right mask; a clear number stored
 * by mistake is never shown either. */
static void old_masks_are_masked_again(void **state)
{
  char err[256];
  (void)state;
  json_t *root = json_loads(good_store, 0, NULL);
  json_t *users = json_object_get(root, "users");
  json_object_set_new(json_array_get(users, 0), "card_masked", json_string("123456***0123"));
  json_object_set_new(json_array_get(users, 1), "card_masked", json_string("1360000123456784"));
  char *text = json_dumps(root, 0);
  struct uim_store s = { 0 };
  assert_int_equal(uim_parse(text, strlen(text), &s, err, sizeof err), UIM_OK);
  assert_string_equal(uim_find_user(&s, "00001")->card_masked, "*********0123");
  assert_string_equal(uim_find_user(&s, "00004")->card_masked, "136000******6784");
  json_t *kept = json_array_get(json_object_get(s.root, "users"), 0);
  assert_string_equal(json_string_value(json_object_get(kept, "card_masked")), "*********0123");
  uim_free(&s);
  free(text);
  json_decref(root);
}

static char *write_temp(const char *text, mode_t mode)
{
  char *path = strdup("/tmp/uim-test-XXXXXX");
  int fd = mkstemp(path);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  fchmod(fd, mode);
  close(fd);
  return path;
}

static void mode_is_checked(void **state)
{
  struct uim_store s;
  char err[512];
  (void)state;
  char *path = write_temp(good_store, 0644);
  assert_int_equal(uim_load(path, &s, err, sizeof err), UIM_BAD_MODE);
  assert_non_null(strstr(err, "chmod 600"));
  uim_free(&s);
  chmod(path, 0600);
  assert_int_equal(uim_load(path, &s, err, sizeof err), UIM_OK);
  uim_free(&s);
  unlink(path);
  assert_int_equal(uim_load(path, &s, err, sizeof err), UIM_NOT_FOUND);
  uim_free(&s);
  free(path);
  char *empty = write_temp("", 0600);
  assert_int_equal(uim_load(empty, &s, err, sizeof err), UIM_CORRUPT);
  assert_non_null(strstr(err, "corrupt"));
  uim_free(&s);
  unlink(empty);
  free(empty);
}

static void auth_results_expire(void **state)
{
  struct uim_store s;
  char err[512], verified[32], expires[32];
  time_t now = 1764061200; /* 2025-11-25T09:00:00Z */
  (void)state;
  char *path = write_temp(good_store, 0600);
  assert_int_equal(uim_load(path, &s, err, sizeof err), UIM_OK);
  assert_int_equal(uim_auth_find(&s, "00001", now, verified, expires), -1);
  assert_int_equal(uim_auth_add(&s, "00001", now, 3600), 0);
  assert_int_equal(uim_auth_add(&s, "00001", now + 10, 3600), 0); /* replaces, not adds */
  assert_int_equal(json_array_size(json_object_get(s.root, "auth_results")), 1);
  assert_int_equal(uim_auth_find(&s, "00001", now + 20, verified, expires), 0);
  assert_string_equal(verified, "2025-11-25T09:00:10Z");
  assert_string_equal(expires, "2025-11-25T10:00:10Z");
  assert_int_equal(uim_auth_find(&s, "00001", now + 3610, verified, expires), 1); /* expired */
  assert_int_equal(uim_auth_find(&s, "00004", now, verified, expires), -1);
  assert_int_equal(uim_save(&s, now + 20, err, sizeof err), 0);
  uim_free(&s);
  struct stat st;
  stat(path, &st);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(uim_load(path, &s, err, sizeof err), UIM_OK);
  assert_int_equal(uim_auth_find(&s, "00001", now + 20, verified, expires), 0);
  assert_string_equal(json_string_value(json_object_get(s.root, "future_field")), "kept");
  assert_int_equal(uim_save(&s, now + 4000, err, sizeof err), 0); /* expired: dropped on write */
  uim_free(&s);
  assert_int_equal(uim_load(path, &s, err, sizeof err), UIM_OK);
  assert_int_equal(json_array_size(json_object_get(s.root, "auth_results")), 0);
  uim_free(&s);
  unlink(path);
  free(path);
}

static void lockout_counts(void **state)
{
  struct uim_store s = { 0 };
  char err[256];
  time_t now = 1764061200, until;
  (void)state;
  assert_int_equal(uim_parse(good_store, strlen(good_store), &s, err, sizeof err), UIM_OK);
  assert_false(uim_locked(&s, now, NULL));
  assert_int_equal(uim_failed_attempt(&s, now), 4);
  assert_int_equal(uim_failed_attempt(&s, now), 3);
  uim_attempt_succeeded(&s); /* a success clears the count */
  assert_int_equal(uim_failed_count(&s), 0);
  for (int left = 4; left >= 1; left--)
    assert_int_equal(uim_failed_attempt(&s, now), left);
  assert_false(uim_locked(&s, now, NULL));
  assert_int_equal(uim_failed_attempt(&s, now), 0); /* the fifth locks */
  assert_true(uim_locked(&s, now, &until));
  assert_int_equal(until, now + 1800);
  assert_true(uim_locked(&s, now + 1799, NULL));
  assert_false(uim_locked(&s, now + 1800, NULL));          /* the lock lapses */
  assert_int_equal(uim_failed_attempt(&s, now + 1801), 4); /* and counting starts afresh */
  s.max_attempts = 1;
  s.lock_s = 60;
  assert_int_equal(uim_failed_attempt(&s, now), 0); /* a limit of one locks at once */
  uim_free(&s);
}

/* The limit and the lock time come from the store (paygw-admin writes them):
 * absent → 5 and 1800 s; out of range or the wrong type → a corrupt store. */
static void lockout_policy_from_store(void **state)
{
  struct uim_store s = { 0 };
  char err[256];
  time_t now = 1764061200, until;
  (void)state;
  assert_int_equal(uim_parse(good_store, strlen(good_store), &s, err, sizeof err), UIM_OK);
  assert_int_equal(s.max_attempts, UIM_DEFAULT_MAX_ATTEMPTS);
  assert_int_equal(s.lock_s, UIM_DEFAULT_LOCK_S);
  uim_free(&s);

  json_t *root = json_loads(good_store, 0, NULL);
  json_object_set_new(root, "lockout_max_attempts", json_integer(2));
  json_object_set_new(root, "lockout_seconds", json_integer(60));
  char *text = json_dumps(root, 0);
  assert_int_equal(uim_parse(text, strlen(text), &s, err, sizeof err), UIM_OK);
  assert_int_equal(uim_failed_attempt(&s, now), 1);
  assert_int_equal(uim_failed_attempt(&s, now), 0); /* the store's limit of two */
  assert_true(uim_locked(&s, now, &until));
  assert_int_equal(until, now + 60);
  uim_free(&s);
  free(text);

  static const char *const bad[] = { "0", "101", "\"5\"", "2.5" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_object_set_new(root, "lockout_max_attempts", json_loads(bad[i], JSON_DECODE_ANY, NULL));
    text = json_dumps(root, 0);
    assert_int_equal(uim_parse(text, strlen(text), &s, err, sizeof err), UIM_CORRUPT);
    assert_non_null(strstr(err, "lockout_max_attempts"));
    uim_free(&s);
    free(text);
  }
  json_object_set_new(root, "lockout_max_attempts", json_integer(5));
  json_object_set_new(root, "lockout_seconds", json_integer(0));
  text = json_dumps(root, 0);
  assert_int_equal(uim_parse(text, strlen(text), &s, err, sizeof err), UIM_CORRUPT);
  uim_free(&s);
  free(text);
  json_decref(root);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parses_good_store),           cmocka_unit_test(truncated_store_is_corrupt),
    cmocka_unit_test(garbled_store_never_crashes), cmocka_unit_test(rejects_wrong_fields),
    cmocka_unit_test(old_masks_are_masked_again),  cmocka_unit_test(mode_is_checked),
    cmocka_unit_test(auth_results_expire),         cmocka_unit_test(lockout_counts),
    cmocka_unit_test(lockout_policy_from_store),
  };
  return cmocka_run_group_tests(tests, build_store, free_store);
}
