/* uim.c — the handset's UIM store: open with the mode check, parse and check
 * every field the handset relies on (a corrupt or truncated file is an
 * error, never a crash), keep auth results and the lock-out counter, and
 * rewrite atomically.  See uim.h and docs/uim-store.md. */
#include "handset-client/uim.h"
#include "proxlink/clientutil.h"
#include "proxlink/proxlink.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int uim_private_key_from_pem(const char *pem, unsigned char priv[ED25519_KEY_LEN], unsigned char pub[ED25519_KEY_LEN])
{
  BIO *bio = BIO_new_mem_buf(pem, -1);
  EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
  size_t lp = ED25519_KEY_LEN, lq = ED25519_KEY_LEN;
  int ok = key && EVP_PKEY_id(key) == EVP_PKEY_ED25519 && EVP_PKEY_get_raw_private_key(key, priv, &lp) == 1
           && EVP_PKEY_get_raw_public_key(key, pub, &lq) == 1 && lp == ED25519_KEY_LEN && lq == ED25519_KEY_LEN;
  EVP_PKEY_free(key);
  BIO_free(bio);
  return ok ? 0 : -1;
}

int uim_public_key_from_pem(const char *pem, unsigned char pub[ED25519_KEY_LEN])
{
  BIO *bio = BIO_new_mem_buf(pem, -1);
  EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
  size_t lp = ED25519_KEY_LEN;
  int ok = key && EVP_PKEY_id(key) == EVP_PKEY_ED25519 && EVP_PKEY_get_raw_public_key(key, pub, &lp) == 1
           && lp == ED25519_KEY_LEN;
  EVP_PKEY_free(key);
  BIO_free(bio);
  return ok ? 0 : -1;
}

static const char *str_field(const json_t *o, const char *name)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v && *v ? v : NULL;
}

static enum uim_status corrupt(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static enum uim_status corrupt(char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return UIM_CORRUPT;
}

/* The users array: one entry per card ([0052]). */
static enum uim_status parse_users(struct uim_store *s, char *err, size_t errlen)
{
  json_t *users = json_object_get(s->root, "users"), *u;
  size_t i;

  if (!json_is_array(users))
    return corrupt(err, errlen, "field '%s' is missing or not an array", "users");
  if (json_array_size(users) > UIM_MAX_USERS)
    return corrupt(err, errlen, "%s: too many user IDs", "users");
  json_array_foreach (users, i, u) {
    struct uim_user *e = &s->users[i];
    e->user_id = str_field(u, "user_id");
    e->label = str_field(u, "label");
    e->password_hash = str_field(u, "password_hash");
    const char *stored_mask = str_field(u, "card_masked");
    if (!json_is_object(u) || !proxlink_user_id_ok(e->user_id) || !e->label || !stored_mask)
      return corrupt(err, errlen, "users[]: an entry lacks a well-formed %s", "user_id, label or card_masked");
    /* a store written under an older rule (first 6 of a short card) is
     * shown by today's, and corrected in the file at the next rewrite */
    pan_mask(stored_mask, e->card_masked, sizeof e->card_masked);
    if (strcmp(stored_mask, e->card_masked) != 0)
      json_object_set_new(u, "card_masked", json_string(e->card_masked));
    if (!e->password_hash || strncmp(e->password_hash, "$argon2id$", 10) != 0)
      return corrupt(err, errlen, "users[]: the password hash of %s is not an argon2id hash", e->user_id);
  }
  s->n_users = json_array_size(users);
  return UIM_OK;
}

/* The fields the handset adds: created empty when absent, refused when the
 * wrong type. */
static enum uim_status parse_handset_fields(struct uim_store *s, char *err, size_t errlen)
{
  json_t *results = json_object_get(s->root, "auth_results"), *lock = json_object_get(s->root, "lockout");

  if (!results)
    json_object_set_new(s->root, "auth_results", json_array());
  else if (!json_is_array(results))
    return corrupt(err, errlen, "field '%s' is not an array", "auth_results");
  if (lock && !json_is_object(lock))
    return corrupt(err, errlen, "field '%s' is not an object", "lockout");
  if (lock && json_object_get(lock, "failed_attempts") && !json_is_integer(json_object_get(lock, "failed_attempts")))
    return corrupt(err, errlen, "field '%s' is not an integer", "lockout.failed_attempts");
  return UIM_OK;
}

/* An optional integer field within [min, max]; def when absent. */
static int bounded_field(const json_t *root, const char *name, long long min, long long max, long long def,
                         long long *out)
{
  const json_t *v = json_object_get(root, name);
  if (!v) {
    *out = def;
    return 0;
  }
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
    return -1;
  *out = json_integer_value(v);
  return 0;
}

/* The lock-out rules written by paygw-admin (docs/uim-store.md). */
static enum uim_status parse_lockout_policy(struct uim_store *s, char *err, size_t errlen)
{
  long long attempts, seconds;

  if (bounded_field(s->root, "lockout_max_attempts", 1, 100, UIM_DEFAULT_MAX_ATTEMPTS, &attempts) != 0)
    return corrupt(err, errlen, "field '%s' is not a whole number 1-100", "lockout_max_attempts");
  if (bounded_field(s->root, "lockout_seconds", 1, 86400 * 7, UIM_DEFAULT_LOCK_S, &seconds) != 0)
    return corrupt(err, errlen, "field '%s' is not a whole number 1-604800", "lockout_seconds");
  s->max_attempts = (int)attempts;
  s->lock_s = (long)seconds;
  return UIM_OK;
}

enum uim_status uim_parse(const char *text, size_t len, struct uim_store *s, char *err, size_t errlen)
{
  json_error_t je;
  const char *priv_pem, *pub_pem;
  json_t *version;
  enum uim_status st;

  s->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!s->root) {
    snprintf(err, errlen, "not valid JSON (line %d, column %d: %s)", je.line, je.column, je.text);
    return UIM_CORRUPT;
  }
  if (!json_is_object(s->root))
    return corrupt(err, errlen, "%s", "not a JSON object");
  if (!str_field(s->root, "format") || strcmp(str_field(s->root, "format"), "paygw-uim") != 0)
    return corrupt(err, errlen, "field '%s' is not \"paygw-uim\"", "format");
  version = json_object_get(s->root, "version");
  if (!json_is_integer(version) || json_integer_value(version) != 1)
    return corrupt(err, errlen, "field '%s' is not 1 (this handset reads version 1)", "version");
  s->device_id = str_field(s->root, "device_id");
  if (!proxlink_user_id_ok(s->device_id))
    return corrupt(err, errlen, "field '%s' is missing or malformed", "device_id");
  s->gateway_url = str_field(s->root, "gateway_url");
  if (!s->gateway_url || strncmp(s->gateway_url, "https://", 8) != 0)
    return corrupt(err, errlen, "field '%s' is missing or not an https:// URL", "gateway_url");
  s->ca_cert = str_field(s->root, "ca_cert");
  if (!s->ca_cert || !strstr(s->ca_cert, "-----BEGIN CERTIFICATE-----"))
    return corrupt(err, errlen, "field '%s' is missing or not a PEM certificate", "ca_cert");
  priv_pem = str_field(s->root, "device_private_key");
  if (!priv_pem || uim_private_key_from_pem(priv_pem, s->device_priv, s->device_pub) != 0)
    return corrupt(err, errlen, "field '%s' is missing or not an Ed25519 private key", "device_private_key");
  pub_pem = str_field(s->root, "gateway_message_public_key");
  if (!pub_pem || uim_public_key_from_pem(pub_pem, s->message_pub) != 0)
    return corrupt(err, errlen, "field '%s' is missing or not an Ed25519 public key", "gateway_message_public_key");
  if ((st = parse_users(s, err, errlen)) != UIM_OK || (st = parse_lockout_policy(s, err, errlen)) != UIM_OK)
    return st;
  return parse_handset_fields(s, err, errlen);
}

enum uim_status uim_load(const char *path, struct uim_store *s, char *err, size_t errlen)
{
  struct stat st;
  char *text = NULL;
  size_t len = 0;
  enum uim_status rc;

  memset(s, 0, sizeof *s);
  snprintf(s->path, sizeof s->path, "%s", path);
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open the store %s: %s", path, strerror(errno));
    return errno == ENOENT ? UIM_NOT_FOUND : UIM_IO;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
    snprintf(err, errlen,
             "the store %s must be a regular file only its owner can read (mode 0600, it is %04o); "
             "run: chmod 600 %s",
             path, (unsigned)(st.st_mode & 07777), path);
    close(fd);
    return UIM_BAD_MODE;
  }
  if (st.st_size > UIM_MAX_BYTES) {
    snprintf(err, errlen, "the store %s is corrupt: larger than %d bytes", path, UIM_MAX_BYTES);
    close(fd);
    return UIM_CORRUPT;
  }
  text = malloc((size_t)st.st_size + 1);
  while (text && len < (size_t)st.st_size) {
    ssize_t r = read(fd, text + len, (size_t)st.st_size - len);
    if (r <= 0)
      break;
    len += (size_t)r;
  }
  close(fd);
  if (!text) {
    snprintf(err, errlen, "out of memory reading %s", path);
    return UIM_IO;
  }
  char why[512];
  rc = uim_parse(text, len, s, why, sizeof why);
  OPENSSL_cleanse(text, len); /* the text held the device key */
  free(text);
  if (rc != UIM_OK)
    snprintf(err, errlen, "the store %s is corrupt: %s", path, why);
  return rc;
}

int uim_save(struct uim_store *s, time_t now, char *err, size_t errlen)
{
  uim_auth_purge(s, now);
  char *text = json_dumps(s->root, JSON_INDENT(2));
  if (!text) {
    snprintf(err, errlen, "out of memory writing the store");
    return -1;
  }
  size_t n = strlen(text);
  char *with_nl = realloc(text, n + 2);
  if (with_nl) {
    text = with_nl;
    text[n++] = '\n';
    text[n] = '\0';
  }
  int rc = write_file_atomic(s->path, text, n);
  if (rc != 0)
    snprintf(err, errlen, "cannot write the store %s: %s", s->path, strerror(errno));
  OPENSSL_cleanse(text, n);
  free(text);
  return rc;
}

void uim_free(struct uim_store *s)
{
  json_decref(s->root);
  OPENSSL_cleanse(s->device_priv, sizeof s->device_priv);
  memset(s, 0, sizeof *s);
}

const struct uim_user *uim_find_user(const struct uim_store *s, const char *user_id)
{
  for (size_t i = 0; user_id && i < s->n_users; i++)
    if (strcmp(s->users[i].user_id, user_id) == 0)
      return &s->users[i];
  return NULL;
}

static json_t *auth_results(const struct uim_store *s)
{
  return json_object_get(s->root, "auth_results");
}

void uim_auth_purge(struct uim_store *s, time_t now)
{
  json_t *a = auth_results(s);
  time_t exp;

  for (size_t i = json_array_size(a); i-- > 0;) {
    json_t *r = json_array_get(a, i);
    if (time_parse_rfc3339(str_field(r, "expires_at"), &exp) != 0 || exp <= now)
      json_array_remove(a, i);
  }
}

int uim_auth_add(struct uim_store *s, const char *user_id, time_t now, long ttl)
{
  json_t *a = auth_results(s);
  char verified[32], expires[32];

  for (size_t i = json_array_size(a); i-- > 0;)
    if (strcmp(str_field(json_array_get(a, i), "user_id") ? str_field(json_array_get(a, i), "user_id") : "", user_id)
        == 0)
      json_array_remove(a, i);
  time_rfc3339(now, verified, sizeof verified);
  time_rfc3339(now + ttl, expires, sizeof expires);
  return json_array_append_new(
      a, json_pack("{s:s, s:s, s:s}", "user_id", user_id, "verified_at", verified, "expires_at", expires));
}

int uim_auth_find(const struct uim_store *s, const char *user_id, time_t now, char *verified, char *expires)
{
  json_t *a = auth_results(s), *r;
  size_t i;
  time_t exp, ver;
  int found = -1;

  json_array_foreach (a, i, r) {
    const char *uid = str_field(r, "user_id");
    if (!uid || strcmp(uid, user_id) != 0)
      continue;
    if (time_parse_rfc3339(str_field(r, "expires_at"), &exp) != 0
        || time_parse_rfc3339(str_field(r, "verified_at"), &ver) != 0 || exp <= now) {
      found = 1;
      continue;
    }
    snprintf(verified, 32, "%s", str_field(r, "verified_at"));
    snprintf(expires, 32, "%s", str_field(r, "expires_at"));
    return 0;
  }
  return found;
}

static json_t *lockout(struct uim_store *s)
{
  json_t *l = json_object_get(s->root, "lockout");
  if (!l) {
    l = json_object();
    json_object_set_new(s->root, "lockout", l);
  }
  return l;
}

bool uim_locked(const struct uim_store *s, time_t now, time_t *until)
{
  time_t t;
  const char *u = str_field(json_object_get(s->root, "lockout"), "locked_until");

  if (!u || time_parse_rfc3339(u, &t) != 0 || t <= now)
    return false;
  if (until)
    *until = t;
  return true;
}

int uim_failed_count(const struct uim_store *s)
{
  return (int)json_integer_value(json_object_get(json_object_get(s->root, "lockout"), "failed_attempts"));
}

int uim_failed_attempt(struct uim_store *s, time_t now)
{
  json_t *l = lockout(s);
  char until[32];
  int failed = uim_failed_count(s), limit = s->max_attempts > 0 ? s->max_attempts : UIM_DEFAULT_MAX_ATTEMPTS;
  long lock_s = s->lock_s > 0 ? s->lock_s : UIM_DEFAULT_LOCK_S;

  if (json_object_get(l, "locked_until") && !uim_locked(s, now, NULL)) {
    json_object_del(l, "locked_until"); /* the last lock lapsed (by the real clock): count afresh */
    failed = 0;
  }
  failed++;
  if (failed >= limit) {
    time_rfc3339(now + lock_s, until, sizeof until);
    json_object_set_new(l, "locked_until", json_string(until));
    json_object_set_new(l, "failed_attempts", json_integer(0));
    return 0;
  }
  json_object_set_new(l, "failed_attempts", json_integer(failed));
  return limit - failed;
}

void uim_attempt_succeeded(struct uim_store *s)
{
  json_t *l = lockout(s);
  json_object_set_new(l, "failed_attempts", json_integer(0));
  json_object_del(l, "locked_until");
}
