/* cmd_terminal.c — `paygw-admin terminal add|list|disable`: POS terminals
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
  { "iso-id", "ID", false, "ISO 8583 terminal ID sent as field 41, 1-8 of A-Z a-z 0-9 _ -, held by no other "
                           "terminal (default: the first 8 characters of the code)" },
  { 0 }
};
const struct opt_spec cmd_terminal_list_opts[] = { { 0 } };
const struct opt_spec cmd_terminal_disable_opts[] = {
  { "code", "CODE", true, "terminal code" },
  { 0 }
};

/* "\x<hex>" of the SHA-256 of a 43-character secret, for a bytea
 * parameter.  Returns 0 or -1. */
static int secret_hash_param(const char *secret, char hash_param[2 + 64 + 1])
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;

  if (strlen(secret) != SECRET_CHARS || EVP_Digest(secret, SECRET_CHARS, digest, &dlen, EVP_sha256(), NULL) != 1)
    return -1;
  admin_bytea_param(digest, dlen, hash_param);
  return 0;
}

/* A fresh secret (base64url of 32 random bytes) and its hash parameter.
 * Returns 0 or -1. */
static int make_secret(char secret[SECRET_CHARS + 1], char hash_param[2 + 64 + 1])
{
  unsigned char raw[SECRET_BYTES];

  if (RAND_bytes(raw, sizeof raw) != 1)
    return -1;
  b64url_encode(raw, sizeof raw, secret);
  OPENSSL_cleanse(raw, sizeof raw);
  return secret_hash_param(secret, hash_param);
}

/* Why a terminal (code, iso_id) could not be inserted: the code is taken,
 * or another terminal holds that field 41.  Returns an exit status. */
static int terminal_clash(struct adb *db, const char *code, const char *iso_id)
{
  static const char sql[] =
      "SELECT code, code = $1 AS same_code FROM gateway.terminals WHERE code = $1 OR iso_terminal_id = $2 "
      "ORDER BY code = $1 DESC LIMIT 1";
  const char *params[2] = { code, iso_id };
  PGresult *r = adb_exec(db, "terminal_clash", sql, 2, params);
  int status;

  if (!r)
    return admin_db_failure(db);
  if (PQntuples(r) == 0)
    status = admin_failure("terminal %s was not stored, and no terminal holds its code or field 41 %s",
                           shown(code), iso_id);
  else if (strcmp(adb_get(r, 0, "same_code"), "t") == 0)
    status = admin_invalid("terminal %s already exists", shown(code));
  else
    status = admin_invalid("field-41 terminal ID '%s' is already held by terminal %s; give this terminal its "
                           "own with --iso-id", iso_id, shown(adb_get(r, 0, "code")));
  PQclear(r);
  return status;
}

int terminal_store(struct adb *db, const char *merchant_code, const char *code, const char *iso_id,
                   char *credential)
{
  /* no conflict target: a taken code and a taken field 41 both insert nothing */
  static const char sql[] =
      "INSERT INTO gateway.terminals (merchant_id, code, credential_hash, iso_terminal_id) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT DO NOTHING RETURNING id";
  char secret[SECRET_CHARS + 1], hash_param[67], id_text[24], field41[9];
  long long merchant_id;
  int status = admin_find(db, "merchant", merchant_code, true, &merchant_id);

  if (status != ADMIN_OK)
    return status;
  snprintf(field41, sizeof field41, "%.8s", iso_id ? iso_id : code);
  if (make_secret(secret, hash_param) != 0)
    return admin_failure("cannot generate a terminal secret (RAND_bytes failed)");
  snprintf(id_text, sizeof id_text, "%lld", merchant_id);
  const char *params[4] = { id_text, code, hash_param, field41 };
  long n = adb_exec_count(db, "terminal_insert", sql, 4, params);
  if (n != 1) {
    OPENSSL_cleanse(secret, sizeof secret);
    return n < 0 ? admin_db_failure(db) : terminal_clash(db, code, field41);
  }
  snprintf(credential, 80, "%s.%s", code, secret);
  OPENSSL_cleanse(secret, sizeof secret);
  return adb_log_action(db, "terminal add", code) == 0 ? ADMIN_OK : admin_db_failure(db);
}

int terminal_credential_current(struct adb *db, const char *merchant_code, const char *code, const char *credential)
{
  static const char sql[] =
      "SELECT t.id FROM gateway.terminals t JOIN gateway.merchants m ON m.id = t.merchant_id "
      "WHERE t.code = $1 AND m.code = $2 AND t.credential_hash = $3::bytea";
  char hash_param[67];
  size_t n = strlen(code);

  /* "<code>.<secret>": another terminal's credential is not this one's */
  if (!credential || strncmp(credential, code, n) != 0 || credential[n] != '.'
      || secret_hash_param(credential + n + 1, hash_param) != 0)
    return 0;
  const char *params[3] = { code, merchant_code, hash_param };
  long rows = adb_exec_count(db, "terminal_credential_current", sql, 3, params);
  return rows < 0 ? -1 : rows > 0;
}

int terminal_rotate(struct adb *db, const char *merchant_code, const char *code, char *credential)
{
  static const char sql[] =
      "UPDATE gateway.terminals t SET credential_hash = $3 FROM gateway.merchants m "
      "WHERE m.id = t.merchant_id AND t.code = $1 AND m.code = $2 RETURNING t.id";
  char secret[SECRET_CHARS + 1], hash_param[67];

  if (make_secret(secret, hash_param) != 0)
    return admin_failure("cannot generate a terminal secret (RAND_bytes failed)");
  const char *params[3] = { code, merchant_code, hash_param };
  long n = adb_exec_count(db, "terminal_rotate", sql, 3, params);
  if (n != 1) {
    OPENSSL_cleanse(secret, sizeof secret);
    return n < 0 ? admin_db_failure(db) : admin_invalid("no terminal %s of merchant %s", shown(code), shown(merchant_code));
  }
  snprintf(credential, 80, "%s.%s", code, secret);
  OPENSSL_cleanse(secret, sizeof secret);
  return adb_log_action(db, "terminal rotate", code) == 0 ? ADMIN_OK : admin_db_failure(db);
}

struct terminal_add {
  const char *merchant, *code, *iso_id;
  char credential[80];
};

static int terminal_add_txn(struct adb *db, void *ctx)
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
                           "and add a terminal again", shown(a.code), strerror(saved), shown(a.code));
  }
  OPENSSL_cleanse(a.credential, sizeof a.credential);
  return status;
}

int cmd_terminal_list(const char **opt)
{
  (void)opt;
  return admin_list("terminal_list",
                    "SELECT t.code, t.iso_terminal_id AS field_41, m.code AS merchant, m.shop_name AS shop, t.status, "
                    "to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created "
                    "FROM gateway.terminals t JOIN gateway.merchants m ON m.id = t.merchant_id "
                    "ORDER BY m.code, t.code");
}

int cmd_terminal_disable(const char **opt)
{
  return admin_update_one("terminal", "disabled", "terminal_disable",
                          "UPDATE gateway.terminals SET status = 'disabled' WHERE code = $1 RETURNING 1", opt[0]);
}
