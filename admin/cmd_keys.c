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
#define LOCKED_TRIES 150 /* 30 s for rows other transactions hold */

const struct opt_spec cmd_keys_rotate_opts[] = { { 0 } };
const struct opt_spec cmd_cards_reencrypt_opts[] = {
  { "batch", "N", false, "rows per transaction, 1-10000 (default 500)" },
  { 0 },
};

/* Decrypts one row's ciphertext with its key and AAD format, and stores it
 * under the current key bound to its row; the UPDATE is guarded by the old
 * key id and format.  A row whose ciphertext does not decrypt in it (moved
 * there from another row) stops the run: it is not re-sealed as its own. */
static int reencrypt_row(struct db *db, const struct card_sealed *row)
{
  unsigned char new_blob[CARDCRYPT_MAX_BLOB];
  char pan[PAN_MAX_LEN + 8];
  struct card_binding bind = { .row_id = row->id, .lookup_hex = row->lookup_hex };
  size_t new_len;
  int new_key, status = ADMIN_OK;

  if (card_decrypt(row->key_id, row->aad_version, &bind, row->ciphertext, row->ciphertext_len, pan, sizeof pan) != 0)
    status = admin_failure("card %lld: cannot decrypt with key %d (is that key still in the key file? or was the "
                           "ciphertext moved from another row?)",
                           (long long)row->id, row->key_id);
  else if (card_encrypt(pan, &bind, new_blob, &new_len, &new_key) != 0)
    status = admin_failure("card %lld: cannot encrypt under the current key", (long long)row->id);
  OPENSSL_cleanse(pan, sizeof pan);
  if (status != ADMIN_OK)
    return status;
  const struct card_reseal in = {
    .id = row->id,
    .ciphertext = new_blob,
    .ciphertext_len = new_len,
    .key_id = new_key,
    .aad_version = CARD_AAD_CURRENT,
    .old_key_id = row->key_id,
    .old_aad_version = row->aad_version,
  };
  return adb_card_reencrypt(db, &in) == DB_ONE_ROW ? ADMIN_OK : admin_db_failure(db);
}

struct reencrypt {
  int current, aad, batch;
  int64_t after; /* the last id of the last committed batch */
  long long done, total;
  /* the batch in hand: its row count and last id, kept once it commits */
  long n;
  int64_t batch_last;
};

/* One batch in its own transaction: up to `batch` rows after the last id
 * seen, still under an older key or AAD format and not locked by anyone
 * else.  Sets r->n to the rows moved (0 at the end of a pass).  Returns an
 * exit status. */
static int reencrypt_batch(struct db *db, void *ctx)
{
  struct reencrypt *r = ctx;
  const struct cards_old_batch in = {
    .current_key = r->current, .current_aad = r->aad, .limit = r->batch, .after = r->after
  };
  struct cards_sealed rows;
  char subject[64];
  int status = ADMIN_OK;

  r->n = 0;
  if (adb_cards_old_batch(db, &in, &rows) < 0) {
    adb_cards_sealed_free(&rows);
    return admin_db_failure(db);
  }
  for (int i = 0; i < rows.n && status == ADMIN_OK; i++)
    status = reencrypt_row(db, &rows.rows[i]);
  if (rows.n > 0)
    r->batch_last = rows.rows[rows.n - 1].id;
  r->n = rows.n;
  adb_cards_sealed_free(&rows);
  if (status != ADMIN_OK || r->n == 0)
    return status;
  snprintf(subject, sizeof subject, "%ld cards to key %d", r->n, r->current);
  return admin_log_action(db, "cards reencrypt", subject);
}

/* Rows still under an older key or AAD format (locked ones included); -1
 * on error. */
static long long count_old(struct db *db, const struct reencrypt *r, int *missing_key)
{
  struct cards_old_count c;
  long long total = 0;

  if (adb_cards_old_count(db, r->current, r->aad, &c) < 0)
    return -1;
  *missing_key = 0;
  for (int i = 0; i < c.n_keys; i++) {
    if (!cardkeys_has_key(c.keys[i].key_id))
      *missing_key = c.keys[i].key_id;
    total += c.keys[i].cards;
  }
  return total;
}

/* One pass over the table in id order, a transaction per batch.  Returns an
 * exit status. */
static int reencrypt_pass(struct db *db, struct reencrypt *r)
{
  int status;

  r->after = 0;
  do {
    if ((status = admin_transaction_on(db, reencrypt_batch, r)) != ADMIN_OK)
      return status; /* that batch rolled back */
    r->done += r->n;
    if (r->n > 0) {
      r->after = r->batch_last;
      printf("re-encrypted %lld of %lld cards, %lld left\n", r->done, r->total,
             r->total > r->done ? r->total - r->done : 0);
    }
    fflush(stdout);
  } while (r->n > 0);
  return ADMIN_OK;
}

static void sleep_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

/* Passes until no row is left under an older key; rows locked by other
 * transactions are waited for (LOCKED_TRIES passes at most). */
static int reencrypt_all(struct db *db, struct reencrypt *r)
{
  int missing = 0, status = ADMIN_OK;

  r->total = count_old(db, r, &missing);
  if (r->total < 0)
    return admin_db_failure(db);
  /* a key the file lacks would stop the run half-way: refuse it up front */
  if (missing)
    return admin_failure("cards under key %d: cannot decrypt with key %d (is that key still in the key file?); "
                         "nothing was changed",
                         missing, missing);
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
  struct db *db;
  int status;

  if (opt[0] && (!parse_row_id(opt[0], &batch) || batch > REENCRYPT_BATCH_MAX))
    return admin_invalid("--batch must be a number from 1 to %d", REENCRYPT_BATCH_MAX);
  if ((status = admin_load_card_keys()) != ADMIN_OK)
    return status;
  r.current = cardkeys_current_id();
  r.aad = CARD_AAD_CURRENT;
  r.batch = (int)batch;
  if (!(db = admin_db_open()))
    return ADMIN_FAILURE;
  status = reencrypt_all(db, &r);
  db_close(db);
  if (status == ADMIN_OK)
    printf("re-encrypted %lld card%s under key %d\n", r.done, r.done == 1 ? "" : "s", r.current);
  else if (r.done > 0)
    fprintf(stderr, "paygw-admin: %lld cards were re-encrypted before the failure; run cards reencrypt again\n",
            r.done);
  return status;
}

static int log_rotation_txn(struct db *db, void *ctx)
{
  char subject[32];

  snprintf(subject, sizeof subject, "data key %d", *(int *)ctx);
  return admin_log_action(db, "keys rotate", subject);
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
