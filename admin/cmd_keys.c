/* cmd_keys.c — card key rotation: `paygw-admin keys rotate` appends a new
 * data key to PAYGW_CARD_KEY_FILE, `paygw-admin cards reencrypt` moves every
 * card row still under an older key to the current one (one transaction;
 * rows are locked, so the gateway keeps reading them meanwhile). */
#include "admin.h"

#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct opt_spec cmd_keys_rotate_opts[] = { { NULL } };
const struct opt_spec cmd_cards_reencrypt_opts[] = { { NULL } };


/* Decrypts one row's ciphertext with its key and stores it under the
 * current key; the UPDATE is guarded by the old key id. */
static int reencrypt_row(struct adb *db, const char *id, int old_key, const char *ciphertext_text)
{
  static const char sql[] =
      "UPDATE gateway.cards SET pan_ciphertext = $2, key_id = $3 WHERE id = $1::bigint AND key_id = $4";
  size_t old_len = 0, new_len;
  unsigned char *old_blob = PQunescapeBytea((const unsigned char *)ciphertext_text, &old_len);
  unsigned char new_blob[CARDCRYPT_MAX_BLOB];
  char pan[PAN_MAX_LEN + 8], blob_param[2 + 2 * CARDCRYPT_MAX_BLOB + 1], new_key_text[16], old_key_text[16];
  int new_key, status = ADMIN_OK;

  if (!old_blob || card_decrypt(old_key, old_blob, old_len, pan, sizeof pan) != 0)
    status = admin_failure("card %s: cannot decrypt with key %d (is that key still in the key file?)", id, old_key);
  else if (card_encrypt(pan, new_blob, &new_len, &new_key) != 0)
    status = admin_failure("card %s: cannot encrypt under the current key", id);
  OPENSSL_cleanse(pan, sizeof pan);
  PQfreemem(old_blob);
  if (status != ADMIN_OK)
    return status;
  admin_bytea_param(new_blob, new_len, blob_param);
  snprintf(new_key_text, sizeof new_key_text, "%d", new_key);
  snprintf(old_key_text, sizeof old_key_text, "%d", old_key);
  const char *params[4] = { id, blob_param, new_key_text, old_key_text };
  return adb_exec_count(db, "card_reencrypt", sql, 4, params) == 1 ? ADMIN_OK : admin_db_failure(db);
}

static int reencrypt_txn(struct adb *db, void *ctx)
{
  static const char sql[] =
      "SELECT id, key_id, pan_ciphertext FROM gateway.cards WHERE key_id <> $1::integer ORDER BY id FOR UPDATE";
  char current[16], subject[64];
  int *count = ctx, status = ADMIN_OK;

  snprintf(current, sizeof current, "%d", cardkeys_current_id());
  const char *params[1] = { current };
  PGresult *res = adb_exec(db, "cards_old_key", sql, 1, params);
  if (!res)
    return admin_db_failure(db);
  for (int r = 0; r < PQntuples(res) && status == ADMIN_OK; r++)
    status = reencrypt_row(db, adb_get(res, r, "id"), atoi(adb_get(res, r, "key_id")),
                           adb_get(res, r, "pan_ciphertext"));
  *count = PQntuples(res);
  PQclear(res);
  if (status != ADMIN_OK)
    return status;
  snprintf(subject, sizeof subject, "%d cards to key %s", *count, current);
  return adb_log_action(db, "cards reencrypt", subject) == 0 ? ADMIN_OK : admin_db_failure(db);
}

int cmd_cards_reencrypt(const char **opt)
{
  int count = 0, status = admin_load_card_keys();

  (void)opt;
  if (status == ADMIN_OK)
    status = admin_transaction(reencrypt_txn, &count);
  if (status == ADMIN_OK)
    printf("re-encrypted %d card%s under key %d\n", count, count == 1 ? "" : "s", cardkeys_current_id());
  return status;
}

static int log_rotation_txn(struct adb *db, void *ctx)
{
  char subject[32];

  snprintf(subject, sizeof subject, "data key %d", *(int *)ctx);
  return adb_log_action(db, "keys rotate", subject) == 0 ? ADMIN_OK : admin_db_failure(db);
}

int cmd_keys_rotate(const char **opt)
{
  const char *path = config_str("PAYGW_CARD_KEY_FILE", NULL);
  char err[300];

  (void)opt;
  if (!path)
    return admin_failure("no card key file: set PAYGW_CARD_KEY_FILE (. var/stack.env)");
  int id = cardkeys_add_data_key(path, err, sizeof err);
  if (id < 0)
    return admin_failure("%s", err);
  printf("data key %d added to %s; restart the gateway workers, then run: paygw-admin cards reencrypt\n", id, path);
  /* the key is in place whatever happens to the log row */
  if (admin_transaction(log_rotation_txn, &id) != ADMIN_OK)
    log_msg(LOG_WARN, "keys rotate: data key %d added but not recorded in gateway.admin_log", id);
  return ADMIN_OK;
}
