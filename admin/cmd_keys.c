/* cmd_keys.c — card key rotation: `paygw-admin keys rotate` adds a new data
 * key to PAYGW_CARD_KEY_FILE, `paygw-admin cards reencrypt` moves every card
 * row still under an older key, or sealed with an older AAD format (before
 * migration 0011: not bound to its row), to the current key and format, in
 * batches (--batch, default 500 rows), each batch its own short transaction.  The rows of a
 * batch are locked FOR NO KEY UPDATE, which does not conflict with the FOR
 * KEY SHARE that the foreign-key check of an INSERT INTO
 * gateway.transactions takes, so payments go on meanwhile; rows another
 * transaction has locked are skipped and taken on a later pass. */
#include "admin.h"
#include "validate.h"

#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REENCRYPT_BATCH 500
#define REENCRYPT_BATCH_MAX 10000
#define LOCKED_WAIT_MS 200
#define LOCKED_TRIES 150            /* 30 s for rows other transactions hold */

const struct opt_spec cmd_keys_rotate_opts[] = { { 0 } };
const struct opt_spec cmd_cards_reencrypt_opts[] = {
  { "batch", "N", false, "rows per transaction, 1-10000 (default 500)" },
  { 0 }
};

/* One row as the batch read it. */
struct old_row {
  const char *id, *ciphertext_text, *lookup;
  int key_id, aad;
};

/* Decrypts one row's ciphertext with its key and AAD format, and stores it
 * under the current key bound to its row; the UPDATE is guarded by the old
 * key id and format.  A row whose ciphertext does not decrypt in it (moved
 * there from another row) stops the run: it is not re-sealed as its own. */
static int reencrypt_row(struct adb *db, const struct old_row *row)
{
  static const char sql[] =
      "UPDATE gateway.cards SET pan_ciphertext = $2, key_id = $3, pan_aad = $4 "
      "WHERE id = $1::bigint AND key_id = $5 AND pan_aad = $6";
  size_t old_len = 0, new_len;
  unsigned char *old_blob = PQunescapeBytea((const unsigned char *)row->ciphertext_text, &old_len);
  unsigned char new_blob[CARDCRYPT_MAX_BLOB];
  char pan[PAN_MAX_LEN + 8], blob_param[2 + 2 * CARDCRYPT_MAX_BLOB + 1];
  char new_key_text[16], new_aad_text[8], old_key_text[16], old_aad_text[8];
  struct card_binding bind = { .row_id = atoll(row->id), .lookup_hex = row->lookup };
  int new_key, status = ADMIN_OK;

  if (!old_blob || card_decrypt(row->key_id, row->aad, &bind, old_blob, old_len, pan, sizeof pan) != 0)
    status = admin_failure("card %s: cannot decrypt with key %d (is that key still in the key file? or was the "
                           "ciphertext moved from another row?)", row->id, row->key_id);
  else if (card_encrypt(pan, &bind, new_blob, &new_len, &new_key) != 0)
    status = admin_failure("card %s: cannot encrypt under the current key", row->id);
  OPENSSL_cleanse(pan, sizeof pan);
  PQfreemem(old_blob);
  if (status != ADMIN_OK)
    return status;
  admin_bytea_param(new_blob, new_len, blob_param);
  snprintf(new_key_text, sizeof new_key_text, "%d", new_key);
  snprintf(new_aad_text, sizeof new_aad_text, "%d", CARD_AAD_CURRENT);
  snprintf(old_key_text, sizeof old_key_text, "%d", row->key_id);
  snprintf(old_aad_text, sizeof old_aad_text, "%d", row->aad);
  const char *params[6] = { row->id, blob_param, new_key_text, new_aad_text, old_key_text, old_aad_text };
  return adb_exec_count(db, "card_reencrypt", sql, 6, params) == 1 ? ADMIN_OK : admin_db_failure(db);
}

struct reencrypt {
  char current[16], aad[8], batch[16], after[24];   /* statement parameters */
  long long done, total;
};

/* One batch: up to `batch` rows after the last id seen, still under an
 * older key or AAD format and not locked by anyone else.  Returns the number of rows
 * moved (0 at the end of a pass), or -(exit status). */
static long reencrypt_batch(struct adb *db, struct reencrypt *r)
{
  static const char sql[] =
      "SELECT id, key_id, pan_aad, pan_lookup, pan_ciphertext FROM gateway.cards "
      "WHERE (key_id <> $1::integer OR pan_aad <> $4::smallint) AND id > $2::bigint "
      "ORDER BY id LIMIT $3::integer FOR NO KEY UPDATE SKIP LOCKED";
  char subject[64];
  int status = ADMIN_OK;

  const char *params[4] = { r->current, r->after, r->batch, r->aad };
  PGresult *res = adb_exec(db, "cards_old_key", sql, 4, params);
  if (!res)
    return -admin_db_failure(db);
  int n = PQntuples(res);
  for (int i = 0; i < n && status == ADMIN_OK; i++) {
    struct old_row row = { adb_get(res, i, "id"), adb_get(res, i, "pan_ciphertext"), adb_get(res, i, "pan_lookup"),
                           atoi(adb_get(res, i, "key_id")), atoi(adb_get(res, i, "pan_aad")) };
    status = reencrypt_row(db, &row);
  }
  if (n > 0)
    snprintf(r->after, sizeof r->after, "%s", adb_get(res, n - 1, "id"));
  PQclear(res);
  if (status != ADMIN_OK)
    return -status;
  if (n == 0)
    return 0;
  snprintf(subject, sizeof subject, "%d cards to key %s", n, r->current);
  if (adb_log_action(db, "cards reencrypt", subject) != 0)
    return -admin_db_failure(db);
  return n;
}

/* Rows still under an older key or AAD format (locked ones included); -1
 * on error. */
static long long count_old(struct adb *db, const struct reencrypt *r, int *missing_key)
{
  static const char sql[] =
      "SELECT key_id, count(*) AS n FROM gateway.cards WHERE key_id <> $1::integer OR pan_aad <> $2::smallint "
      "GROUP BY key_id";
  const char *params[2] = { r->current, r->aad };
  PGresult *res = adb_exec(db, "cards_old_count", sql, 2, params);
  long long total = 0;

  if (!res)
    return -1;
  *missing_key = 0;
  for (int i = 0; i < PQntuples(res); i++) {
    int key = atoi(adb_get(res, i, "key_id"));
    if (!cardkeys_has_key(key))
      *missing_key = key;
    total += atoll(adb_get(res, i, "n"));
  }
  PQclear(res);
  return total;
}

/* One pass over the table in id order, a transaction per batch.  Returns an
 * exit status. */
static int reencrypt_pass(struct adb *db, struct reencrypt *r)
{
  long n;

  snprintf(r->after, sizeof r->after, "0");
  do {
    if (adb_begin(db) != 0)
      return admin_db_failure(db);
    if ((n = reencrypt_batch(db, r)) < 0)
      return (int)-n;                      /* adb_close rolls the batch back */
    if (adb_commit(db) != 0)
      return admin_db_failure(db);
    r->done += n;
    if (n > 0)
      printf("re-encrypted %lld of %lld cards, %lld left\n", r->done, r->total,
             r->total > r->done ? r->total - r->done : 0);
    fflush(stdout);
  } while (n > 0);
  return ADMIN_OK;
}

static void sleep_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

/* Passes until no row is left under an older key; rows locked by other
 * transactions are waited for (LOCKED_TRIES passes at most). */
static int reencrypt_all(struct adb *db, struct reencrypt *r)
{
  int missing = 0, status = ADMIN_OK;

  r->total = count_old(db, r, &missing);
  if (r->total < 0)
    return admin_db_failure(db);
  /* a key the file lacks would stop the run half-way: refuse it up front */
  if (missing)
    return admin_failure("cards under key %d: cannot decrypt with key %d (is that key still in the key file?); "
                         "nothing was changed", missing, missing);
  for (int tries = 0; status == ADMIN_OK; tries++) {
    if ((status = reencrypt_pass(db, r)) != ADMIN_OK)
      break;
    long long left = count_old(db, r, &missing);
    if (left < 0)
      return admin_db_failure(db);
    if (left == 0)
      break;
    if (tries == LOCKED_TRIES)
      return admin_failure("%lld cards stay locked by other transactions; run cards reencrypt again", left);
    sleep_ms(LOCKED_WAIT_MS);
  }
  return status;
}

int cmd_cards_reencrypt(const char **opt)
{
  struct reencrypt r = { .done = 0 };
  long long batch = REENCRYPT_BATCH;
  struct adb db;
  int status;

  if (opt[0] && (!parse_row_id(opt[0], &batch) || batch > REENCRYPT_BATCH_MAX))
    return admin_invalid("--batch must be a number from 1 to %d", REENCRYPT_BATCH_MAX);
  if ((status = admin_load_card_keys()) != ADMIN_OK)
    return status;
  snprintf(r.current, sizeof r.current, "%d", cardkeys_current_id());
  snprintf(r.aad, sizeof r.aad, "%d", CARD_AAD_CURRENT);
  snprintf(r.batch, sizeof r.batch, "%lld", batch);
  if (adb_open(&db) != 0)
    return ADMIN_FAILURE;
  status = reencrypt_all(&db, &r);
  adb_close(&db);
  if (status == ADMIN_OK)
    printf("re-encrypted %lld card%s under key %s\n", r.done, r.done == 1 ? "" : "s", r.current);
  else if (r.done > 0)
    fprintf(stderr, "paygw-admin: %lld cards were re-encrypted before the failure; run cards reencrypt again\n",
            r.done);
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
