/* cmd_terminal.c — `paygw-admin terminal add|rotate|list|disable`: POS terminals
 * and shop servers.  The credential "<code>.<secret>" is printed once; only
 * SHA-256 of the 43-character secret is stored, which is what
 * cgi/gateway/auth_terminal.c's terminal_credential_parse computes.  Each
 * terminal also gets its own ISO 8583 terminal ID (field 41, at most 8
 * characters): the issuer keys authorizations on it, so no two terminals
 * may share one. */
#include "admin.h"
#include "validate.h"

#include "common/b64url.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#define SECRET_BYTES 32
#define SECRET_CHARS 43

const struct opt_spec cmd_terminal_add_opts[] = {
  { "merchant", "CODE", true, "merchant code the terminal belongs to" },
  { "code", "CODE", true, "terminal code, 1-32 of A-Z a-z 0-9 _ -, e.g. pos-a-1" },
  { "iso-id", "ID", false,
    "ISO 8583 terminal ID sent as field 41, 1-8 of A-Z a-z 0-9 _ -, held by no other "
    "terminal (default: the first 8 characters of the code)" },
  { 0 },
};
const struct opt_spec cmd_terminal_rotate_opts[] = {
  { "merchant", "CODE", true, "merchant code the terminal belongs to" },
  { "code", "CODE", true, "terminal code" },
  { 0 },
};
const struct opt_spec cmd_terminal_list_opts[] = { { 0 } };
const struct opt_spec cmd_terminal_disable_opts[] = {
  { "code", "CODE", true, "terminal code" },
  { 0 },
};

/* The SHA-256 of a 43-character secret, as stored.  Returns 0 or -1. */
static int secret_hash(const char *secret, unsigned char hash[ADB_SHA256_LEN])
{
  unsigned int dlen = 0;

  if (strlen(secret) != SECRET_CHARS || EVP_Digest(secret, SECRET_CHARS, hash, &dlen, EVP_sha256(), NULL) != 1
      || dlen != ADB_SHA256_LEN)
    return -1;
  return 0;
}

/* A fresh secret (base64url of 32 random bytes) and its hash.  Returns 0
 * or -1. */
static int make_secret(char secret[SECRET_CHARS + 1], unsigned char hash[ADB_SHA256_LEN])
{
  unsigned char raw[SECRET_BYTES];

  if (RAND_bytes(raw, sizeof raw) != 1)
    return -1;
  b64url_encode(raw, sizeof raw, secret);
  OPENSSL_cleanse(raw, sizeof raw);
  return secret_hash(secret, hash);
}

/* Why a terminal (code, iso_id) could not be inserted: the code is taken,
 * or another terminal holds that field 41.  Returns an exit status. */
static int terminal_clash(struct db *db, const char *code, const char *iso_id)
{
  struct terminal_clash holder;
  enum db_status s = adb_terminal_clash(db, code, iso_id, &holder);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_failure("terminal %s was not stored, and no terminal holds its code or field 41 %s", shown(code),
                         iso_id);
  if (holder.same_code)
    return admin_invalid("terminal %s already exists", shown(code));
  return admin_invalid("field-41 terminal ID '%s' is already held by terminal %s; give this terminal its own with "
                       "--iso-id",
                       iso_id, shown(holder.code));
}

int terminal_store(struct db *db, const char *merchant_code, const char *code, const char *iso_id, char *credential)
{
  struct terminal_new in = { .code = code };
  char secret[SECRET_CHARS + 1], field41[9];
  long long merchant_id;
  int status = admin_find(db, ADB_MERCHANT, merchant_code, true, &merchant_id);

  if (status != ADMIN_OK)
    return status;
  snprintf(field41, sizeof field41, "%.8s", iso_id ? iso_id : code);
  if (make_secret(secret, in.credential_hash) != 0)
    return admin_failure("cannot generate a terminal secret (RAND_bytes failed)");
  in.merchant_id = merchant_id;
  in.iso_terminal_id = field41;
  enum db_status s = adb_terminal_add(db, &in, NULL);
  if (s != DB_ONE_ROW) {
    OPENSSL_cleanse(secret, sizeof secret);
    return s < 0 ? admin_db_failure(db) : terminal_clash(db, code, field41);
  }
  snprintf(credential, 80, "%s.%s", code, secret);
  OPENSSL_cleanse(secret, sizeof secret);
  return admin_log_action(db, "terminal add", code);
}

int terminal_credential_current(struct db *db, const char *merchant_code, const char *code, const char *credential)
{
  struct terminal_credential in = { .merchant_code = merchant_code, .code = code };
  size_t n = strlen(code);

  /* "<code>.<secret>": another terminal's credential is not this one's */
  if (!credential || strncmp(credential, code, n) != 0 || credential[n] != '.'
      || secret_hash(credential + n + 1, in.credential_hash) != 0)
    return 0;
  enum db_status s = adb_terminal_credential_current(db, &in);
  return s < 0 ? -1 : s > 0;
}

int terminal_rotate(struct db *db, const char *merchant_code, const char *code, char *credential)
{
  struct terminal_credential in = { .merchant_code = merchant_code, .code = code };
  char secret[SECRET_CHARS + 1];

  if (make_secret(secret, in.credential_hash) != 0)
    return admin_failure("cannot generate a terminal secret (RAND_bytes failed)");
  enum db_status s = adb_terminal_rotate(db, &in);
  if (s != DB_ONE_ROW) {
    OPENSSL_cleanse(secret, sizeof secret);
    return s < 0 ? admin_db_failure(db)
                 : admin_invalid("no terminal %s of merchant %s", shown(code), shown(merchant_code));
  }
  snprintf(credential, 80, "%s.%s", code, secret);
  OPENSSL_cleanse(secret, sizeof secret);
  return admin_log_action(db, "terminal rotate", code);
}

struct terminal_add {
  const char *merchant, *code, *iso_id;
  char credential[80];
};

static int terminal_add_txn(struct db *db, void *ctx)
{
  struct terminal_add *a = ctx;

  return terminal_store(db, a->merchant, a->code, a->iso_id, a->credential);
}

int cmd_terminal_add(const char **opt)
{
  struct terminal_add a = { opt[0], opt[1], opt[2], "" };

  if (!valid_merchant_code(a.merchant))
    return admin_invalid("merchant code must be 1-15 digits, got '%.40s'", shown(a.merchant));
  if (!valid_ident(a.code))
    return admin_invalid("terminal code must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.code));
  if (a.iso_id && !valid_iso_terminal_id(a.iso_id))
    return admin_invalid("field-41 terminal ID must be 1-8 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.iso_id));
  int status = admin_transaction(terminal_add_txn, &a);
  /* the only line on stdout, shown this once: if it cannot be written (a
   * full disk, a closed pipe) the secret is lost and the operator must know */
  if (status == ADMIN_OK && (printf("%s\n", a.credential) < 0 || fflush(stdout) != 0)) {
    int saved = errno;
    status = admin_failure("terminal %s was added, but its credential could not be written to standard output "
                           "(%s) and cannot be shown again: disable it (paygw-admin terminal disable --code %s) "
                           "and add a terminal again",
                           shown(a.code), strerror(saved), shown(a.code));
  }
  OPENSSL_cleanse(a.credential, sizeof a.credential);
  return status;
}

struct terminal_rotation {
  const char *merchant, *code;
  char credential[80];
};

static int terminal_rotate_txn(struct db *db, void *ctx)
{
  struct terminal_rotation *r = ctx;

  return terminal_rotate(db, r->merchant, r->code, r->credential);
}

/* A new credential for a terminal whose one was lost (the demo shop's
 * set-up, scripts/stack shop-setup): the old one stops working at once. */
int cmd_terminal_rotate(const char **opt)
{
  struct terminal_rotation r = { opt[0], opt[1], "" };

  if (!valid_merchant_code(r.merchant))
    return admin_invalid("merchant code must be 1-15 digits, got '%.40s'", shown(r.merchant));
  if (!valid_ident(r.code))
    return admin_invalid("terminal code must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(r.code));
  int status = admin_transaction(terminal_rotate_txn, &r);
  if (status == ADMIN_OK && (printf("%s\n", r.credential) < 0 || fflush(stdout) != 0))
    status = admin_failure("terminal %s has a new credential, but it could not be written to standard output (%s): "
                           "rotate it again",
                           shown(r.code), strerror(errno));
  OPENSSL_cleanse(r.credential, sizeof r.credential);
  return status;
}

int cmd_terminal_list(const char **opt)
{
  (void)opt;
  return admin_list(adb_terminal_list);
}

int cmd_terminal_disable(const char **opt)
{
  return admin_disable("terminal", ADB_TERMINAL, opt[0]);
}
