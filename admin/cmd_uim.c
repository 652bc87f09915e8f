/* cmd_uim.c — `paygw-admin uim write`: the handset's UIM store (the
 * patent's UIM 18) for one device, a 0600 JSON file documented in
 * docs/uim-store.md: device ID and key, gateway URL, CA and message key, and
 * the device's user IDs with their argon2id password hashes. */
#include "admin.h"
#include "validate.h"

#include "common/config.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PEM_MAX 16384
#define UIM_LOCKOUT_MAX_ATTEMPTS 5 /* failed password attempts before the handset locks */
#define UIM_LOCKOUT_SECONDS 1800   /* and for how long */

const struct opt_spec cmd_uim_write_opts[] = {
  { "device", "DEVICE-ID", true, "device whose store to write" },
  { "device-key", "FILE", true, "the device's private key (PEM from device add)" },
  { "out", "FILE", true, "the UIM store to write (mode 0600; replaced if it exists)" },
  { "gateway-url", "URL", false, "gateway base URL (default $PAYGW_URL)" },
  { "ca", "FILE", false, "CA certificate the handset trusts (default $PAYGW_CA)" },
  { "message-pubkey", "FILE", false, "gateway message public key (default $PAYGW_MESSAGE_PUBKEY_FILE)" },
  { 0 },
};

int uim_settings_load(struct uim_settings *s, const char *url, const char *ca_file, const char *pubkey_file)
{
  memset(s, 0, sizeof *s);
  s->gateway_url = url ? url : config_str("PAYGW_URL", NULL);
  ca_file = ca_file ? ca_file : config_str("PAYGW_CA", NULL);
  pubkey_file = pubkey_file ? pubkey_file : config_str("PAYGW_MESSAGE_PUBKEY_FILE", NULL);
  if (!s->gateway_url || strncmp(s->gateway_url, "https://", 8) != 0)
    return admin_invalid("the gateway URL must be an https:// URL (--gateway-url or PAYGW_URL)");
  if (!ca_file)
    return admin_invalid("no CA certificate: give --ca or set PAYGW_CA");
  if (!pubkey_file)
    return admin_invalid("no gateway message public key: give --message-pubkey or set PAYGW_MESSAGE_PUBKEY_FILE");
  if (!(s->ca_pem = file_read_text(ca_file, PEM_MAX)) || !strstr(s->ca_pem, "-----BEGIN CERTIFICATE-----"))
    return admin_invalid("cannot read a PEM certificate from %s", shown(ca_file));
  s->message_pubkey_pem = file_read_text(pubkey_file, PEM_MAX);
  if (!s->message_pubkey_pem || !strstr(s->message_pubkey_pem, "-----BEGIN PUBLIC KEY-----"))
    return admin_invalid("cannot read a PEM public key from %s", shown(pubkey_file));
  return ADMIN_OK;
}

void uim_settings_free(struct uim_settings *s)
{
  free(s->ca_pem);
  free(s->message_pubkey_pem);
  memset(s, 0, sizeof *s);
}

/* The device's active user IDs as the store's "users" array, or NULL after
 * a message; checks the key matches the device's enrolled public key. */
static json_t *uim_users(struct db *db, const char *device_code, const unsigned char pub[ED25519_KEY_LEN], int *status)
{
  struct uim_users rows;
  json_t *users = NULL;
  enum db_status s = adb_uim_users(db, device_code, &rows);

  if (s < 0)
    *status = admin_db_failure(db);
  else if (s == DB_NO_ROWS || !rows.key_ok || CRYPTO_memcmp(rows.public_key, pub, ED25519_KEY_LEN) != 0)
    *status = admin_invalid("the device key does not match the public key enrolled for device %s", shown(device_code));
  else
    users = json_array();
  for (int r = 0; users && r < rows.n; r++)
    json_array_append_new(users, json_pack("{s:s, s:s, s:s, s:s}", "user_id", rows.users[r].user_id, "label",
                                           rows.users[r].label, "password_hash", rows.users[r].password_hash,
                                           "card_masked", rows.users[r].card_masked));
  adb_uim_users_free(&rows);
  return users;
}

json_t *uim_store_build(struct db *db, const char *device_code, const char *key_pem,
                        const unsigned char pub[ED25519_KEY_LEN], const struct uim_settings *s, int *status)
{
  long long device_id;
  json_t *users;

  if ((*status = admin_find(db, ADB_DEVICE, device_code, true, &device_id)) != ADMIN_OK
      || !(users = uim_users(db, device_code, pub, status)))
    return NULL;
  /* the lock-out rules live in the store, not on the handset's command line */
  json_t *store =
      json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:[]}", "format", "paygw-uim", "version", 1,
                "device_id", device_code, "device_private_key", key_pem, "gateway_url", s->gateway_url, "ca_cert",
                s->ca_pem, "gateway_message_public_key", s->message_pubkey_pem, "users", users, "lockout_max_attempts",
                UIM_LOCKOUT_MAX_ATTEMPTS, "lockout_seconds", UIM_LOCKOUT_SECONDS, "auth_results");
  if (!store)
    *status = admin_failure("cannot build the UIM store JSON");
  return store;
}

int uim_write_store(struct db *db, const char *device_code, const char *key_pem,
                    const unsigned char pub[ED25519_KEY_LEN], const struct uim_settings *s, const char *path)
{
  int status;
  json_t *store = uim_store_build(db, device_code, key_pem, pub, s, &status);

  if (!store)
    return status;
  char *text = json_dumps(store, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(store);
  if (!text)
    return admin_failure("cannot build the UIM store JSON");
  size_t len = strlen(text);
  char *grown = realloc(text, len + 2);
  if (!grown) {
    free(text);
    return admin_failure("out of memory");
  }
  text = grown;
  strcpy(text + len, "\n");
  if (file_write_private(path, text, true) != 0)
    status = admin_failure("cannot write the UIM store %s: %s", shown(path), strerror(errno));
  else
    status = admin_log_action(db, "uim write", device_code);
  OPENSSL_cleanse(text, len);
  free(text);
  return status;
}

struct uim_write {
  const char *device, *out;
  char *key_pem;
  unsigned char pub[ED25519_KEY_LEN];
  struct uim_settings settings;
};

static int uim_write_txn(struct db *db, void *ctx)
{
  struct uim_write *a = ctx;

  return uim_write_store(db, a->device, a->key_pem, a->pub, &a->settings, a->out);
}

/* Reads the device key file both as text (for the store) and as a key. */
static int read_device_key(struct uim_write *a, const char *path)
{
  unsigned char priv[ED25519_KEY_LEN];
  int rc = ed25519_read_private_pem(path, priv, a->pub);

  OPENSSL_cleanse(priv, sizeof priv);
  if (rc != 0 || !(a->key_pem = file_read_text(path, PEM_MAX)))
    return admin_invalid("cannot read an Ed25519 private key (PKCS#8 PEM) from %s", shown(path));
  return ADMIN_OK;
}

/* The store is written under a temporary name inside the database
 * transaction and renamed into place only once that has committed: a failed
 * commit leaves no store the database does not back (and an old store at
 * --out stays as it was). */
static int write_then_rename(struct uim_write *a, const char *out)
{
  char tmp[4200];

  if (snprintf(tmp, sizeof tmp, "%s.new-%ld", out, (long)getpid()) >= (int)sizeof tmp)
    return admin_invalid("--out is too long");
  a->out = tmp;
  int status = admin_transaction(uim_write_txn, a);
  a->out = out;
  if (status == ADMIN_OK && rename(tmp, out) != 0)
    status = admin_failure("cannot put the UIM store in place at %s: %s", shown(out), strerror(errno));
  if (status != ADMIN_OK)
    unlink(tmp); /* nothing half-done stays behind */
  return status;
}

int cmd_uim_write(const char **opt)
{
  struct uim_write a = { .device = opt[0], .out = opt[2] };
  int status;

  if (!valid_ident(a.device))
    return admin_invalid("device ID must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.device));
  if ((status = read_device_key(&a, opt[1])) == ADMIN_OK
      && (status = uim_settings_load(&a.settings, opt[3], opt[4], opt[5])) == ADMIN_OK)
    status = write_then_rename(&a, opt[2]);
  if (a.key_pem) {
    OPENSSL_cleanse(a.key_pem, strlen(a.key_pem));
    free(a.key_pem);
  }
  uim_settings_free(&a.settings);
  if (status == ADMIN_OK)
    printf("UIM store for device %s written to %s\n", a.device, a.out);
  return status;
}
