/* cmd_demo.c — `paygw-admin demo --out-dir DIR`: loads the demo data of
 * figures 7, 9 and 10 (lib/common/demo_data.h) in one transaction and writes
 * what the clients need: DIR/terminals.env, DIR/devices/<device>.pem and
 * DIR/uim/<device>.json.  A second run finds issuer 2a11111 and changes
 * nothing. */
#include "admin.h"
#include "validate.h"

#include "common/demo_data.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEMO_MAX 16
#define DEMO_MARKER_ISSUER "2a11111"

const struct opt_spec cmd_demo_opts[] = {
  { "out-dir", "DIR", true, "where to write terminals.env, devices/*.pem and uim/*.json" },
  { NULL }
};

struct demo_device {
  const char *code;
  unsigned char pub[ED25519_KEY_LEN], priv[ED25519_KEY_LEN];
  char key_path[1024], uim_path[1024];
};

struct demo {
  const char *dir;
  bool already_loaded;
  struct uim_settings settings;
  struct demo_device devices[DEMO_MAX];
  int n_devices;
  long long card_ids[DEMO_MAX];
  char env_path[1024];
  char *written[2 * DEMO_MAX + 1];   /* files to remove if the load fails */
  int n_written;
};

/* True when text appears among the first n entries of a string list. */
static bool seen_before(const char *const *list, int n, const char *text)
{
  for (int i = 0; i < n; i++)
    if (strcmp(list[i], text) == 0)
      return true;
  return false;
}

static int load_issuers_and_ranges(struct adb *db)
{
  const char *codes[DEMO_MAX];
  int n = 0, status = ADMIN_OK;

  for (const struct demo_issuer_range *r = demo_ranges; r->low && status == ADMIN_OK; r++) {
    if (!seen_before(codes, n, r->issuer_code) && n < DEMO_MAX) {
      codes[n++] = r->issuer_code;
      status = issuer_store(db, r->issuer_code, r->issuer_name);
    }
    if (status == ADMIN_OK)
      status = range_store(db, r->issuer_code, r->low, r->high);
  }
  return status;
}

static int load_merchants_and_methods(struct adb *db)
{
  int status = ADMIN_OK;
  char err[160];

  for (int i = 0; demo_merchants[i].code && status == ADMIN_OK; i++)
    status = merchant_store(db, demo_merchants[i].code, demo_merchants[i].name, demo_merchants[i].shop);
  for (const struct demo_merchant_method *m = demo_methods; m->merchant_code && status == ADMIN_OK; m++) {
    struct methods methods;
    int n = 0;
    if (methods_parse(m->methods, &methods, err, sizeof err) != 0)
      return admin_failure("demo data: %s", err);
    while (n < 4 && m->installment_counts[n])
      n++;
    status = method_store(db, m->merchant_code, m->issuer_code, &methods, m->installment_counts, n);
  }
  return status;
}

static int load_subscribers_and_devices(struct adb *db, struct demo *d)
{
  const char *subscribers[DEMO_MAX], *devices[DEMO_MAX];
  int n_sub = 0, status = ADMIN_OK;

  for (const struct demo_card *c = demo_cards; c->user_id && status == ADMIN_OK; c++) {
    if (!seen_before(subscribers, n_sub, c->subscriber) && n_sub < DEMO_MAX) {
      subscribers[n_sub++] = c->subscriber;
      status = subscriber_store(db, c->subscriber, c->holder);
    }
    if (status != ADMIN_OK || seen_before(devices, d->n_devices, c->device_id) || d->n_devices == DEMO_MAX)
      continue;
    struct demo_device *dev = &d->devices[d->n_devices];
    devices[d->n_devices++] = c->device_id;
    dev->code = c->device_id;
    if (ed25519_keypair(dev->pub, dev->priv) != 0)
      return admin_failure("cannot generate a device key pair");
    status = device_store(db, c->subscriber, c->device_id, dev->pub);
  }
  return status;
}

static int load_cards_and_users(struct adb *db, struct demo *d)
{
  char masked[PAN_MAX_LEN + 1];
  int i = 0, status = ADMIN_OK;

  for (const struct demo_card *c = demo_cards; c->user_id && status == ADMIN_OK && i < DEMO_MAX; c++, i++) {
    if (!pan_is_valid(c->pan) || expiry_check(c->expiry, (long)time(NULL)) != EXPIRY_OK)
      return admin_failure("demo data: card of user ID %s is invalid or expired", c->user_id);
    status = card_store(db, c->subscriber, c->pan, c->expiry, c->label, &d->card_ids[i], masked);
    if (status == ADMIN_OK)
      status = user_store(db, c->user_id, c->subscriber, d->card_ids[i], c->device_id, c->password);
  }
  return status;
}

/* Remembers a written file so that a failed load can remove it. */
static void written(struct demo *d, const char *path)
{
  if (d->n_written < (int)(sizeof d->written / sizeof d->written[0]))
    d->written[d->n_written++] = strdup(path);
}

static int load_terminals(struct adb *db, struct demo *d)
{
  char credential[80], code[48], env[2048] = "# paygw demo terminal credentials (paygw-admin demo); keep private\n";
  size_t used = strlen(env);
  int status = ADMIN_OK;

  for (int i = 0; demo_merchants[i].code && status == ADMIN_OK; i++) {
    snprintf(code, sizeof code, "pos-%s", demo_merchants[i].code);
    status = terminal_store(db, demo_merchants[i].code, code, NULL, credential);
    if (status == ADMIN_OK && used < sizeof env)
      used += (size_t)snprintf(env + used, sizeof env - used, "PAYGW_TERMINAL_%s=%s\n", demo_merchants[i].code,
                               credential);
  }
  OPENSSL_cleanse(credential, sizeof credential);
  snprintf(d->env_path, sizeof d->env_path, "%s/terminals.env", d->dir);
  if (status == ADMIN_OK && file_write_private(d->env_path, env, true) != 0)
    status = admin_failure("cannot write %s: %s", shown(d->env_path), strerror(errno));
  if (status == ADMIN_OK)
    written(d, d->env_path);
  OPENSSL_cleanse(env, sizeof env);
  return status;
}

/* Writes each device's key file and UIM store. */
static int write_handset_files(struct adb *db, struct demo *d)
{
  int status = ADMIN_OK;

  for (int i = 0; i < d->n_devices && status == ADMIN_OK; i++) {
    struct demo_device *dev = &d->devices[i];
    snprintf(dev->key_path, sizeof dev->key_path, "%s/devices/%s.pem", d->dir, dev->code);
    snprintf(dev->uim_path, sizeof dev->uim_path, "%s/uim/%s.json", d->dir, dev->code);
    if (ed25519_write_private_pem(dev->key_path, dev->priv, true) != 0 || chmod(dev->key_path, 0600) != 0)
      return admin_failure("cannot write %s: %s", shown(dev->key_path), strerror(errno));
    written(d, dev->key_path);
    char *pem = file_read_text(dev->key_path, 4096);
    if (!pem)
      return admin_failure("cannot read back %s: %s", shown(dev->key_path), strerror(errno));
    status = uim_write_store(db, dev->code, pem, dev->pub, &d->settings, dev->uim_path);
    OPENSSL_cleanse(pem, strlen(pem));
    free(pem);
    if (status == ADMIN_OK)
      written(d, dev->uim_path);
  }
  return status;
}

static int demo_txn(struct adb *db, void *ctx)
{
  struct demo *d = ctx;
  long long id;
  int status;

  /* two demo runs at once: the second waits, then finds the data */
  if (adb_exec_count(db, "demo_lock", "SELECT pg_advisory_xact_lock(hashtext('paygw-admin demo'))", 0, NULL) < 0)
    return admin_db_failure(db);
  int found = adb_lookup(db, "issuer_by_code", "SELECT id, status FROM gateway.issuers WHERE code = $1",
                         DEMO_MARKER_ISSUER, &id, NULL);
  if (found < 0)
    return admin_db_failure(db);
  if (found) {
    d->already_loaded = true;
    return ADMIN_OK;
  }
  db->rows_only = true;   /* one JSON log line for the whole load, one row per change */
  if ((status = uim_settings_load(&d->settings, NULL, NULL, NULL)) != ADMIN_OK
      || (status = admin_load_card_keys()) != ADMIN_OK
      || (status = load_issuers_and_ranges(db)) != ADMIN_OK
      || (status = load_merchants_and_methods(db)) != ADMIN_OK
      || (status = load_subscribers_and_devices(db, d)) != ADMIN_OK
      || (status = load_cards_and_users(db, d)) != ADMIN_OK
      || (status = load_terminals(db, d)) != ADMIN_OK
      || (status = write_handset_files(db, d)) != ADMIN_OK)
    return status;
  db->rows_only = false;
  return adb_log_action(db, "demo load", "figures 7, 9, 10") == 0 ? ADMIN_OK : admin_db_failure(db);
}

static int make_dir(const char *dir, const char *sub)
{
  char path[1024];

  snprintf(path, sizeof path, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
  if (mkdir(path, 0700) != 0 && errno != EEXIST)
    return admin_failure("cannot create directory %s: %s", shown(path), strerror(errno));
  return ADMIN_OK;
}

int cmd_demo(const char **opt)
{
  struct demo *d = calloc(1, sizeof *d);
  int status;

  if (!d)
    return admin_failure("out of memory");
  d->dir = opt[0];
  if (strlen(d->dir) > 900)
    status = admin_invalid("--out-dir is too long");
  else if ((status = make_dir(d->dir, NULL)) == ADMIN_OK && (status = make_dir(d->dir, "devices")) == ADMIN_OK
           && (status = make_dir(d->dir, "uim")) == ADMIN_OK)
    status = admin_transaction(demo_txn, d);
  for (int i = 0; i < d->n_written; i++) {
    if (status != ADMIN_OK)
      unlink(d->written[i]);      /* the rows are gone: so are their files */
    free(d->written[i]);
  }
  if (status == ADMIN_OK && d->already_loaded)
    printf("demo data already loaded\n");
  else if (status == ADMIN_OK)
    printf("demo data loaded (figures 7, 9, 10): terminal credentials in %s, handset stores in %s/uim/\n",
           d->env_path, d->dir);
  OPENSSL_cleanse(d->devices, sizeof d->devices);
  uim_settings_free(&d->settings);
  free(d);
  return status;
}
