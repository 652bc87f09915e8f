/* cmd_merchant_webhook.c — `paygw-admin merchant webhook set|rotate-secret|
 * show`: where the ends of a merchant's payments are POSTed, signed with
 * the merchant's secret (issue 12, docs/webhooks.md).  A secret is 32
 * random bytes, shown once as whsec_ + base64 (the only line on stdout)
 * and stored sealed under the current data key of PAYGW_CARD_KEY_FILE,
 * bound to the merchant's row: a database dump alone does not give it
 * away.  rotate-secret replaces it at once: the next attempt of every
 * queued event is signed with the new one (there is no overlap, so a
 * secret that leaked stops working with the commit). */
#include "admin.h"
#include "validate.h"

#include "common/cardcrypt.h"
#include "common/webhook_sig.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

const struct opt_spec cmd_merchant_webhook_set_opts[] = {
  { "code", "CODE", true, "merchant code" },
  { "url", "URL", true, "https://... (http only to 127.0.0.1 or localhost, for tests and the demo)" },
  { 0 },
};
const struct opt_spec cmd_merchant_webhook_rotate_opts[] = {
  { "code", "CODE", true, "merchant code" },
  { 0 },
};
const struct opt_spec cmd_merchant_webhook_show_opts[] = {
  { "code", "CODE", true, "merchant code" },
  { 0 },
};

struct webhook_cmd {
  const char *code, *url; /* url NULL: rotate-secret */
  bool made;              /* a new secret was made: text holds it */
  char text[WEBHOOK_SECRET_TEXT_LEN];
};

/* A fresh secret sealed for merchant_id and stored with url (NULL: kept);
 * its text form into w->text. */
static int store_new_secret(struct db *db, int64_t merchant_id, struct webhook_cmd *w)
{
  unsigned char raw[WEBHOOK_SECRET_LEN], aad[WEBHOOK_AAD_LEN], sealed[CARDCRYPT_SEAL_MAX + 32];
  size_t sealed_len = 0;
  int key_id = 0;

  webhook_secret_aad(merchant_id, aad);
  int rc = webhook_secret_new(raw, w->text) == 0
               ? cardkeys_seal(raw, sizeof raw, aad, sizeof aad, sealed, &sealed_len, &key_id)
               : -1;
  OPENSSL_cleanse(raw, sizeof raw);
  if (rc != 0)
    return admin_failure("cannot make or seal a webhook secret (is PAYGW_CARD_KEY_FILE loaded?)");
  const struct merchant_webhook_update in = {
    .merchant_id = merchant_id, .url = w->url, .sealed = sealed, .sealed_len = sealed_len, .key_id = key_id
  };
  if (adb_merchant_webhook_update(db, &in) != DB_ONE_ROW)
    return admin_db_failure(db);
  w->made = true;
  return ADMIN_OK;
}

static int webhook_txn(struct db *db, void *ctx)
{
  struct webhook_cmd *w = ctx;
  long long id;
  bool has_secret;
  int status;

  if ((status = admin_find(db, ADB_MERCHANT, w->code, false, &id)) != ADMIN_OK)
    return status;
  if (adb_merchant_webhook_lock(db, id, &has_secret) != DB_ONE_ROW)
    return admin_db_failure(db);
  if (!w->url) {
    if (!has_secret)
      return admin_invalid("merchant %s has no webhook: set one first (paygw-admin merchant webhook set)",
                           shown(w->code));
    status = store_new_secret(db, id, w);
  } else if (!has_secret) {
    status = store_new_secret(db, id, w); /* the first URL: its secret with it */
  } else {
    const struct merchant_webhook_update in = { .merchant_id = id, .url = w->url };
    status = adb_merchant_webhook_update(db, &in) == DB_ONE_ROW ? ADMIN_OK : admin_db_failure(db);
  }
  if (status != ADMIN_OK)
    return status;
  return admin_log_action(db, w->url ? "merchant webhook set" : "merchant webhook rotate-secret", w->code);
}

/* Runs the transaction, then shows a new secret: the only line on stdout,
 * this once (if it cannot be written, the operator must know). */
static int run(struct webhook_cmd *w)
{
  int status;

  if (!valid_merchant_code(w->code))
    return admin_invalid("merchant code must be 1-15 digits, got '%.40s'", shown(w->code));
  if (w->url && !valid_webhook_url(w->url))
    return admin_invalid("webhook URL must be https://HOST/... without user or password (http only to 127.0.0.1 "
                         "or localhost), at most %d characters, got '%.80s'",
                         WEBHOOK_URL_MAX_CHARS, shown(w->url));
  if ((status = admin_load_card_keys()) != ADMIN_OK)
    return status;
  status = admin_transaction(webhook_txn, w);
  if (status == ADMIN_OK && w->made && (printf("%s\n", w->text) < 0 || fflush(stdout) != 0)) {
    int saved = errno;
    status = admin_failure("merchant %s has a new webhook secret, but it could not be written to standard output "
                           "(%s) and cannot be shown again: run paygw-admin merchant webhook rotate-secret --code %s",
                           shown(w->code), strerror(saved), shown(w->code));
  }
  if (status == ADMIN_OK)
    fprintf(stderr, "merchant %s: webhook %s%s\n", w->code, w->url ? "URL set" : "secret rotated",
            w->url && w->made ? ", with a new secret (above; shown this once)"
            : w->made         ? " (above; shown this once); the old one no longer signs"
                              : "; its secret is unchanged");
  OPENSSL_cleanse(w->text, sizeof w->text);
  return status;
}

int cmd_merchant_webhook_set(const char **opt)
{
  struct webhook_cmd w = { .code = opt[0], .url = opt[1] };
  return run(&w);
}

int cmd_merchant_webhook_rotate(const char **opt)
{
  struct webhook_cmd w = { .code = opt[0] };
  return run(&w);
}

struct webhook_show {
  const char *code;
  struct merchant_webhook out;
};

static int show_txn(struct db *db, void *ctx)
{
  struct webhook_show *s = ctx;
  long long id;
  int status = admin_find(db, ADB_MERCHANT, s->code, false, &id);

  if (status != ADMIN_OK)
    return status;
  return adb_merchant_webhook_show(db, id, &s->out) == DB_ONE_ROW ? ADMIN_OK : admin_db_failure(db);
}

int cmd_merchant_webhook_show(const char **opt)
{
  struct webhook_show s = { .code = opt[0] };

  if (!valid_merchant_code(s.code))
    return admin_invalid("merchant code must be 1-15 digits, got '%.40s'", shown(s.code));
  int status = admin_transaction(show_txn, &s);
  if (status != ADMIN_OK)
    return status;
  printf("merchant   %s\n", s.code);
  printf("url        %s\n", s.out.url[0] ? s.out.url : "(none: its terminals poll)");
  if (s.out.has_secret)
    printf("secret     set %s, sealed under data key %d\n", s.out.secret_at, s.out.key_id);
  else
    printf("secret     (none)\n");
  printf("events     %lld pending, %lld delivered, %lld failed (given up)\n", (long long)s.out.pending,
         (long long)s.out.delivered, (long long)s.out.failed);
  if (s.out.last_failure[0])
    printf("last error %s: %s\n", s.out.last_failure_at, s.out.last_failure);
  return ADMIN_OK;
}
