/* cmd_demo.c — `paygw-admin demo --out-dir DIR`: loads the demo data of
 * figures 7, 9 and 10 (lib/common/demo_data.h) in one transaction and writes
 * what the clients need: DIR/terminals.env, DIR/devices/<device>.pem and
 * DIR/uim/<device>.json.  Once issuer 2a11111 exists the data is loaded, and
 * a run makes the files match it and the running stack instead
 * (demo_refresh.c): what is missing or stale is re-issued, nothing else
 * changes but this: a demo user ID without a web password (a database
 * loaded before the HTML history existed) is given its demo one.
 * Every demo user ID's web password for the HTML history is
 * demo-web-<USER ID> (README.md, docs/history.md). */
#include "demo.h"
#include "validate.h"

#include "common/demo_data.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEMO_MARKER_ISSUER "2a11111"

const struct opt_spec cmd_demo_opts[] = {
  { "out-dir", "DIR", true, "where to write terminals.env, devices/*.pem and uim/*.json" },
  { 0 },
};

/* True when text appears among the first n entries of a string list. */
static bool seen_before(const char *const *list, int n, const char *text)
{
  for (int i = 0; i < n; i++)
    if (strcmp(list[i], text) == 0)
      return true;
  return false;
}

static int load_issuers_and_ranges(struct db *db)
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

static int load_merchants_and_methods(struct db *db)
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

void demo_devices_list(struct demo *d)
{
  const char *codes[DEMO_MAX];

  d->n_devices = 0;
  for (const struct demo_card *c = demo_cards; c->user_id && d->n_devices < DEMO_MAX; c++) {
    if (seen_before(codes, d->n_devices, c->device_id))
      continue;
    struct demo_device *dev = &d->devices[d->n_devices];
    codes[d->n_devices++] = c->device_id;
    dev->code = c->device_id;
    dev->subscriber = c->subscriber;
    snprintf(dev->key_path, sizeof dev->key_path, "%s/devices/%s.pem", d->dir, dev->code);
    snprintf(dev->uim_path, sizeof dev->uim_path, "%s/uim/%s.json", d->dir, dev->code);
  }
}

static int load_subscribers_and_devices(struct db *db, struct demo *d)
{
  const char *subscribers[DEMO_MAX];
  int n_sub = 0, status = ADMIN_OK;

  for (const struct demo_card *c = demo_cards; c->user_id && status == ADMIN_OK; c++)
    if (!seen_before(subscribers, n_sub, c->subscriber) && n_sub < DEMO_MAX) {
      subscribers[n_sub++] = c->subscriber;
      status = subscriber_store(db, c->subscriber, c->holder);
    }
  demo_devices_list(d);
  for (int i = 0; i < d->n_devices && status == ADMIN_OK; i++) {
    struct demo_device *dev = &d->devices[i];
    if (ed25519_keypair(dev->pub, dev->priv) != 0)
      return admin_failure("cannot generate a device key pair");
    status = device_store(db, dev->subscriber, dev->code, dev->pub);
  }
  return status;
}

/* The demo web password of every demo user ID (only_if_unset: of those
 * that have none). */
static int load_web_passwords(struct db *db, bool only_if_unset, int *n_set)
{
  char password[48];
  int status = ADMIN_OK;
  bool set;

  *n_set = 0;
  for (const struct demo_card *c = demo_cards; c->user_id && status == ADMIN_OK; c++) {
    snprintf(password, sizeof password, "demo-web-%s", c->user_id);
    status = user_web_password_store(db, c->user_id, password, only_if_unset, &set);
    *n_set += set;
  }
  return status;
}

static int load_cards_and_users(struct db *db, struct demo *d)
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

const char *demo_out_path(struct demo *d, const char *path)
{
  char staged[1100];

  if (d->n_files == (int)(sizeof d->files / sizeof d->files[0])) {
    admin_failure("too many demo files");
    return NULL;
  }
  struct demo_file *f = &d->files[d->n_files++];
  f->path = strdup(path);
  if (d->already_loaded) {
    snprintf(staged, sizeof staged, "%s.new-%ld", path, (long)getpid());
    f->staged = strdup(staged);
  }
  return f->staged ? f->staged : f->path;
}

void demo_report(struct demo *d, const char *fmt, ...)
{
  size_t used = strlen(d->report);
  va_list ap;

  va_start(ap, fmt);
  if (used + 3 < sizeof d->report) {
    memcpy(d->report + used, "  ", 2);
    vsnprintf(d->report + used + 2, sizeof d->report - used - 2, fmt, ap);
    used = strlen(d->report);
    if (used + 1 < sizeof d->report)
      strcpy(d->report + used, "\n");
  }
  va_end(ap);
  d->n_reissued++;
}

int demo_write_terminals_env(struct demo *d, char creds[][DEMO_CREDENTIAL_MAX])
{
  char env[2048] = "# paygw demo terminal credentials (paygw-admin demo); keep private\n";
  size_t used = strlen(env);
  int status = ADMIN_OK;

  for (int i = 0; demo_merchants[i].code; i++)
    if (used < sizeof env)
      used +=
          (size_t)snprintf(env + used, sizeof env - used, "PAYGW_TERMINAL_%s=%s\n", demo_merchants[i].code, creds[i]);
  snprintf(d->env_path, sizeof d->env_path, "%s/terminals.env", d->dir);
  const char *out = demo_out_path(d, d->env_path);
  if (!out)
    status = ADMIN_FAILURE;
  else if (file_write_private(out, env, true) != 0)
    status = admin_failure("cannot write %s: %s", shown(d->env_path), strerror(errno));
  OPENSSL_cleanse(env, sizeof env);
  return status;
}

static int load_terminals(struct db *db, struct demo *d)
{
  char creds[DEMO_MAX][DEMO_CREDENTIAL_MAX], code[48];
  int status = ADMIN_OK;

  for (int i = 0; demo_merchants[i].code && i < DEMO_MAX && status == ADMIN_OK; i++) {
    snprintf(code, sizeof code, "pos-%s", demo_merchants[i].code);
    status = terminal_store(db, demo_merchants[i].code, code, NULL, creds[i]);
  }
  if (status == ADMIN_OK)
    status = demo_write_terminals_env(d, creds);
  OPENSSL_cleanse(creds, sizeof creds);
  return status;
}

int demo_write_handset(struct db *db, struct demo *d, struct demo_device *dev)
{
  const char *key_out = demo_out_path(d, dev->key_path);

  if (!key_out)
    return ADMIN_FAILURE;
  if (ed25519_write_private_pem(key_out, dev->priv, true) != 0 || chmod(key_out, 0600) != 0)
    return admin_failure("cannot write %s: %s", shown(dev->key_path), strerror(errno));
  char *pem = file_read_text(key_out, 4096);
  if (!pem)
    return admin_failure("cannot read back %s: %s", shown(dev->key_path), strerror(errno));
  const char *uim_out = demo_out_path(d, dev->uim_path);
  int status = uim_out ? uim_write_store(db, dev->code, pem, dev->pub, &d->settings, uim_out) : ADMIN_FAILURE;
  OPENSSL_cleanse(pem, strlen(pem));
  free(pem);
  return status;
}

/* Writes each device's key file and UIM store. */
static int write_handset_files(struct db *db, struct demo *d)
{
  int status = ADMIN_OK;

  for (int i = 0; i < d->n_devices && status == ADMIN_OK; i++)
    status = demo_write_handset(db, d, &d->devices[i]);
  return status;
}

static int demo_txn(struct db *db, void *ctx)
{
  struct demo *d = ctx;
  struct adb_found marker;
  int status;

  /* two demo runs at once: the second waits, then finds the data */
  if (adb_demo_lock(db) < 0)
    return admin_db_failure(db);
  enum db_status found = adb_find_by_code(db, ADB_ISSUER, DEMO_MARKER_ISSUER, &marker);
  if (found < 0)
    return admin_db_failure(db);
  if ((status = uim_settings_load(&d->settings, NULL, NULL, NULL)) != ADMIN_OK)
    return status;
  if (found == DB_ONE_ROW) {
    int n_set;
    d->already_loaded = true;
    admin_log_rows_only(true);
    if ((status = load_web_passwords(db, true, &n_set)) != ADMIN_OK)
      return status;
    if (n_set > 0)
      demo_report(d, "web passwords demo-web-<USER ID> given to %d demo user IDs that had none", n_set);
    return demo_refresh_files(db, d);
  }
  int n_set;
  admin_log_rows_only(true); /* one JSON log line for the whole load, one row per change */
  if ((status = admin_load_card_keys()) != ADMIN_OK || (status = load_issuers_and_ranges(db)) != ADMIN_OK
      || (status = load_merchants_and_methods(db)) != ADMIN_OK
      || (status = load_subscribers_and_devices(db, d)) != ADMIN_OK
      || (status = load_cards_and_users(db, d)) != ADMIN_OK
      || (status = load_web_passwords(db, false, &n_set)) != ADMIN_OK || (status = load_terminals(db, d)) != ADMIN_OK
      || (status = write_handset_files(db, d)) != ADMIN_OK)
    return status;
  admin_log_rows_only(false);
  return admin_log_action(db, "demo load", "figures 7, 9, 10");
}

static int make_dir(const char *dir, const char *sub)
{
  char path[1024];

  snprintf(path, sizeof path, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
  if (mkdir(path, 0700) != 0 && errno != EEXIST)
    return admin_failure("cannot create directory %s: %s", shown(path), strerror(errno));
  return ADMIN_OK;
}

/* One run at a time per DIR, from reading its files until the new ones are
 * in place: the database's advisory lock ends at the commit, before a
 * refresh renames its files, and a second run reading the old files then
 * would re-issue them again.  An flock on the directory itself, so no lock
 * file is left among the demo's files. */
static int lock_dir(const char *dir, int *fd)
{
  *fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (*fd < 0 || flock(*fd, LOCK_EX) != 0)
    return admin_failure("cannot lock %s: %s", shown(dir), strerror(errno));
  return ADMIN_OK;
}

/* After the transaction: a failed load removes what it wrote; a refresh
 * puts its staged files in place once committed, or drops them. */
static int settle_files(struct demo *d, int status)
{
  for (int i = 0; i < d->n_files; i++) {
    struct demo_file *f = &d->files[i];
    if (status != ADMIN_OK) {
      unlink(f->staged ? f->staged : f->path);
    } else if (f->staged && rename(f->staged, f->path) != 0) {
      status = admin_failure("cannot put %s in place: %s (the database has its new credentials: run paygw-admin "
                             "demo again to re-issue them)",
                             shown(f->path), strerror(errno));
      unlink(f->staged);
    }
    free(f->path);
    free(f->staged);
  }
  d->n_files = 0;
  return status;
}

static void say_done(const struct demo *d)
{
  if (!d->already_loaded)
    printf("demo data loaded (figures 7, 9, 10): terminal credentials in %s, handset stores in %s/uim/\n", d->env_path,
           d->dir);
  else if (d->n_reissued == 0)
    printf("demo data already loaded; the files in %s match it and the gateway at %s\n", d->dir,
           d->settings.gateway_url);
  else
    printf("demo data already loaded; re-issued what in %s was missing or did not match it and the gateway at %s:\n%s",
           d->dir, d->settings.gateway_url, d->report);
}

int cmd_demo(const char **opt)
{
  struct demo *d = calloc(1, sizeof *d);
  int status, dir_fd = -1;

  if (!d)
    return admin_failure("out of memory");
  d->dir = opt[0];
  if (strlen(d->dir) > 900)
    status = admin_invalid("--out-dir is too long");
  else if ((status = make_dir(d->dir, NULL)) == ADMIN_OK && (status = make_dir(d->dir, "devices")) == ADMIN_OK
           && (status = make_dir(d->dir, "uim")) == ADMIN_OK && (status = lock_dir(d->dir, &dir_fd)) == ADMIN_OK)
    status = admin_transaction(demo_txn, d);
  status = settle_files(d, status);
  if (dir_fd >= 0)
    close(dir_fd); /* the next run into DIR may look at its files now */
  if (status == ADMIN_OK)
    say_done(d);
  OPENSSL_cleanse(d->devices, sizeof d->devices);
  uim_settings_free(&d->settings);
  free(d);
  return status;
}
