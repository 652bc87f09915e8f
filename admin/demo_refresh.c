/* demo_refresh.c — `paygw-admin demo` once the demo data is loaded: makes
 * the files in --out-dir match the database and the running stack again, so
 * scripts/demo works after the stack moved to other ports, after its files
 * were deleted, or with another --out-dir.
 *   - a terminal credential missing from terminals.env, or not the one whose
 *     hash is stored, is re-issued: the terminal gets a new secret (the old
 *     one stops working) and terminals.env is rewritten;
 *   - a device key file that is missing or holds another key than the
 *     enrolled one gets a new key pair (the enrolled public key replaced);
 *   - a UIM store that differs from what `uim write` would write now
 *     (gateway URL, CA, message key, device key, users) is rewritten.
 * What matches is left alone (a second run changes nothing), rows are only
 * updated, and only the demo's own: the terminals pos-<code> of the demo
 * merchants and the demo subscribers' handsets (lib/common/demo_data.h). */
#include "demo.h"
#include "validate.h"

#include "common/demo_data.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PEM_MAX 16384

/* The value of "PAYGW_TERMINAL_<merchant>=" in the text of terminals.env,
 * copied into out; "" when absent. */
static void env_credential(const char *env, const char *merchant, char out[DEMO_CREDENTIAL_MAX])
{
  char key[64];

  out[0] = '\0';
  snprintf(key, sizeof key, "PAYGW_TERMINAL_%s=", merchant);
  for (const char *line = env; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    if (strncmp(line, key, strlen(key)) != 0)
      continue;
    const char *v = line + strlen(key);
    size_t n = strcspn(v, "\r\n");
    if (n < DEMO_CREDENTIAL_MAX)
      snprintf(out, DEMO_CREDENTIAL_MAX, "%.*s", (int)n, v);
    return;
  }
}

/* Each demo terminal's credential: kept when terminals.env holds the current
 * one, else re-issued; terminals.env is rewritten when any was. */
static int refresh_terminals(struct db *db, struct demo *d)
{
  char creds[DEMO_MAX][DEMO_CREDENTIAL_MAX], code[48], path[1024];
  int status = ADMIN_OK, reissued = 0;

  snprintf(path, sizeof path, "%s/terminals.env", d->dir);
  snprintf(d->env_path, sizeof d->env_path, "%s", path);
  char *env = file_read_text(path, 8192);
  for (int i = 0; demo_merchants[i].code && i < DEMO_MAX && status == ADMIN_OK; i++) {
    const char *merchant = demo_merchants[i].code;
    snprintf(code, sizeof code, "pos-%s", merchant);
    env_credential(env, merchant, creds[i]);
    int current = terminal_credential_current(db, merchant, code, creds[i]);
    if (current < 0)
      status = admin_db_failure(db);
    else if (!current && (status = terminal_rotate(db, merchant, code, creds[i])) == ADMIN_OK) {
      demo_report(d, "terminal %s: new credential in terminals.env (%s)", code,
                  !env        ? "the file was missing"
                  : *creds[i] ? "the file's was not the current one"
                              : "the file had none");
      reissued++;
    }
  }
  if (env) {
    OPENSSL_cleanse(env, strlen(env));
    free(env);
  }
  if (status == ADMIN_OK && reissued)
    status = demo_write_terminals_env(d, creds);
  OPENSSL_cleanse(creds, sizeof creds);
  return status;
}

/* dev's key from its file when that is the enrolled key; else a new key
 * pair, enrolled in place of the old.  *rekeyed says which. */
static int refresh_device_key(struct db *db, struct demo *d, struct demo_device *dev, bool *rekeyed)
{
  unsigned char enrolled[ED25519_KEY_LEN];
  int found = device_public_key(db, dev->subscriber, dev->code, enrolled);
  bool readable = ed25519_read_private_pem(dev->key_path, dev->priv, dev->pub) == 0;

  *rekeyed = false;
  if (found < 0)
    return admin_db_failure(db);
  if (found == 0)
    return admin_invalid("the demo data is loaded but device %s of subscriber %s is not enrolled", dev->code,
                         dev->subscriber);
  if (readable && CRYPTO_memcmp(enrolled, dev->pub, ED25519_KEY_LEN) == 0)
    return ADMIN_OK;
  if (ed25519_keypair(dev->pub, dev->priv) != 0)
    return admin_failure("cannot generate a device key pair");
  *rekeyed = true;
  demo_report(d, "device %s: new key pair in devices/%s.pem (%s)", dev->code, dev->code,
              readable ? "the file held another key than the enrolled one" : "the file was missing or unreadable");
  return device_rekey(db, dev->subscriber, dev->code, dev->pub);
}

/* The names of the top-level fields in which the store at path differs from
 * want (auth results and the lock-out state, which the handset keeps, do
 * not count), into what; "the file was missing or unreadable" when it
 * cannot be read.  Returns true when it differs. */
static bool store_differs(json_t *want, const char *path, char *what, size_t len)
{
  json_t *have = json_load_file(path, 0, NULL);
  const char *key;
  json_t *value;
  size_t used = 0;

  what[0] = '\0';
  if (!json_is_object(have)) {
    json_decref(have);
    snprintf(what, len, "the file was missing or unreadable");
    return true;
  }
  json_object_foreach (want, key, value) {
    if (strcmp(key, "auth_results") != 0 && !json_equal(value, json_object_get(have, key)) && used < len)
      used += (size_t)snprintf(what + used, len - used, "%s%s", used ? ", " : "its ", key);
  }
  json_object_foreach (have, key, value) {
    if (!json_object_get(want, key) && strcmp(key, "lockout") != 0 && used < len)
      used += (size_t)snprintf(what + used, len - used, "%s%s", used ? ", " : "its ", key);
  }
  json_decref(have);
  if (used && used < len)
    snprintf(what + used, len - used, " differed");
  return used > 0;
}

/* dev's UIM store: rewritten (with its key file, when that is new) unless
 * the one in place is what `uim write` would write now. */
static int refresh_store(struct db *db, struct demo *d, struct demo_device *dev, bool rekeyed)
{
  char what[512];
  int status;

  if (rekeyed)
    return demo_write_handset(db, d, dev);
  char *pem = file_read_text(dev->key_path, PEM_MAX);
  if (!pem)
    return admin_failure("cannot read %s: %s", shown(dev->key_path), strerror(errno));
  json_t *want = uim_store_build(db, dev->code, pem, dev->pub, &d->settings, &status);
  if (want && store_differs(want, dev->uim_path, what, sizeof what)) {
    const char *out = demo_out_path(d, dev->uim_path);
    status = out ? uim_write_store(db, dev->code, pem, dev->pub, &d->settings, out) : ADMIN_FAILURE;
    demo_report(d, "uim/%s.json rewritten (%s)", dev->code, what);
  }
  json_decref(want);
  OPENSSL_cleanse(pem, strlen(pem));
  free(pem);
  return status;
}

static int refresh_handsets(struct db *db, struct demo *d)
{
  int status = ADMIN_OK;

  demo_devices_list(d);
  for (int i = 0; i < d->n_devices && status == ADMIN_OK; i++) {
    bool rekeyed;
    if ((status = refresh_device_key(db, d, &d->devices[i], &rekeyed)) == ADMIN_OK)
      status = refresh_store(db, d, &d->devices[i], rekeyed);
  }
  return status;
}

int demo_refresh_files(struct db *db, struct demo *d)
{
  int status;

  admin_log_rows_only(true); /* one JSON log line for the whole refresh, one row per change */
  if ((status = refresh_terminals(db, d)) != ADMIN_OK || (status = refresh_handsets(db, d)) != ADMIN_OK)
    return status;
  admin_log_rows_only(false);
  if (d->n_reissued == 0)
    return ADMIN_OK;
  return admin_log_action(db, "demo refresh", shown(d->dir));
}
