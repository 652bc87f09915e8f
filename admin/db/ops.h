/* ops.h — paygw-admin's database operations: one typed function per
 * operation, one file each in admin/db/ (its SQL, its parameters, its
 * result), on lib/db.  Only these files include libpq or name a column;
 * the commands (cmd_*.c) fill the in-structs and read the out-structs.
 *
 * Each returns lib/db's status: DB_ONE_ROW / DB_ROWS / DB_NO_ROWS for what
 * the statement found or changed, negative for an error (db_error and
 * db_sqlstate say which).  Outside a transaction a call is one statement
 * of its own; inside db_run_transaction (admin_transaction) it joins it,
 * which is how a command makes several of them stand or fall together. */
#ifndef PAYGW_ADMIN_DB_OPS_H
#define PAYGW_ADMIN_DB_OPS_H

#include "db/db.h"

#include "common/cardcrypt.h"
#include "common/ed25519.h"

#include <stdbool.h>
#include <stdint.h>

#define ADB_CODE_MAX 64   /* any code or user ID (32 characters at most) with room */
#define ADB_STATUS_MAX 16 /* 'active', 'disabled' */
#define ADB_SHA256_LEN 32

/* The enrolled things a command finds by code or disables by key. */
enum adb_entity { ADB_ISSUER, ADB_MERCHANT, ADB_TERMINAL, ADB_SUBSCRIBER, ADB_DEVICE, ADB_CARD, ADB_USER };

/* --- shared ---------------------------------------------------------- */

/* Runs fn (which calls the operations below) as one transaction, the whole
 * of a command: lib/db's db_run_transaction (retried after a serialization
 * failure, in doubt when COMMIT's answer is lost).  A command writes
 * several rows that stand or fall together (the change and its admin-log
 * row), and commands are rare, so one PL/pgSQL function per command is
 * not worth it. */
enum db_status adb_transaction(struct db *db, db_txn_fn fn, void *ctx);

/* A row of gateway.admin_log (never a secret in it). */
struct admin_log_entry {
  const char *actor, *action, *subject;
};
enum db_status adb_admin_log_add(struct db *db, const struct admin_log_entry *in);

/* The id and status of an issuer, merchant, subscriber or device by its
 * code.  DB_ONE_ROW, or DB_NO_ROWS for an unknown code. */
struct adb_found {
  int64_t id;
  char status[ADB_STATUS_MAX];
};
enum db_status adb_find_by_code(struct db *db, enum adb_entity kind, const char *code, struct adb_found *out);

/* Sets status 'disabled' on the row of kind whose key (code, card id or
 * user ID) is key.  DB_ONE_ROW, or DB_NO_ROWS when there is none. */
enum db_status adb_set_disabled(struct db *db, enum adb_entity kind, const char *key);

/* A list as the `list` commands print it: column names and text cells
 * (NULL shown as ""), all malloc'd; adb_table_free frees them. */
struct adb_table {
  int n_cols, n_rows;
  char **names; /* n_cols */
  char **cells; /* n_rows * n_cols, row-major */
};
void adb_table_free(struct adb_table *t);
enum db_status adb_issuer_list(struct db *db, struct adb_table *out);
enum db_status adb_range_list(struct db *db, struct adb_table *out);
enum db_status adb_merchant_list(struct db *db, struct adb_table *out);
enum db_status adb_terminal_list(struct db *db, struct adb_table *out);
enum db_status adb_method_list(struct db *db, struct adb_table *out);
enum db_status adb_subscriber_list(struct db *db, struct adb_table *out);
enum db_status adb_device_list(struct db *db, struct adb_table *out);
enum db_status adb_card_list(struct db *db, struct adb_table *out);
enum db_status adb_user_list(struct db *db, struct adb_table *out);

/* --- issuers, ranges, merchants, methods (figs 9 and 10) ------------- */

/* DB_ONE_ROW when added, DB_NO_ROWS when the code is taken. */
struct issuer_new {
  const char *code, *name;
};
enum db_status adb_issuer_add(struct db *db, const struct issuer_new *in);

/* Every stored range with its issuer's code, for the overlap check. */
struct adb_range {
  char low[24], high[24], issuer_code[ADB_CODE_MAX];
};
struct adb_ranges {
  int n;
  struct adb_range *rows; /* malloc'd; adb_ranges_free */
};
enum db_status adb_ranges_all(struct db *db, struct adb_ranges *out);
void adb_ranges_free(struct adb_ranges *r);
/* Serialises range changes until the transaction ends, so two concurrent
 * adds cannot both pass the overlap check. */
enum db_status adb_ranges_lock(struct db *db);
struct range_new {
  int64_t issuer_id;
  const char *low, *high;
};
enum db_status adb_range_add(struct db *db, const struct range_new *in);

struct merchant_new {
  const char *code, *name, *shop;
};
enum db_status adb_merchant_add(struct db *db, const struct merchant_new *in);

/* A merchant's webhook (issue 12, sql/0017).  _lock locks the merchant's
 * row for the command's transaction and tells whether it has a secret;
 * _update sets the URL and/or a newly sealed secret (NULL / 0 length:
 * kept); _show reads what `merchant webhook show` prints (never the
 * secret).  DB_ONE_ROW, or DB_NO_ROWS when there is no such merchant. */
enum db_status adb_merchant_webhook_lock(struct db *db, int64_t merchant_id, bool *has_secret);
struct merchant_webhook_update {
  int64_t merchant_id;
  const char *url;             /* NULL: kept */
  const unsigned char *sealed; /* NULL: the secret kept */
  size_t sealed_len;
  int key_id;
};
enum db_status adb_merchant_webhook_update(struct db *db, const struct merchant_webhook_update *in);
struct merchant_webhook {
  char url[2001], secret_at[32], last_failure[300], last_failure_at[32];
  bool has_secret;
  int key_id;
  int64_t pending, delivered, failed;
};
enum db_status adb_merchant_webhook_show(struct db *db, int64_t merchant_id, struct merchant_webhook *out);

/* Inserts or replaces the methods of a merchant for an issuer. */
struct method_row {
  int64_t merchant_id, issuer_id;
  bool lump_sum, installments, bonus, partial_bonus, revolving;
  const char *installment_counts; /* PostgreSQL array text, "{3,6}" */
};
enum db_status adb_method_set(struct db *db, const struct method_row *in);

/* --- terminals ------------------------------------------------------- */

/* DB_ONE_ROW when added; DB_NO_ROWS when the code or field 41 is taken. */
struct terminal_new {
  int64_t merchant_id;
  const char *code, *iso_terminal_id;
  unsigned char credential_hash[ADB_SHA256_LEN];
};
struct terminal_added {
  int64_t id;
};
enum db_status adb_terminal_add(struct db *db, const struct terminal_new *in, struct terminal_added *out);

/* Which terminal holds code or field 41 iso_id (the one holding code
 * first).  DB_NO_ROWS when none does. */
struct terminal_clash {
  char code[ADB_CODE_MAX];
  bool same_code;
};
enum db_status adb_terminal_clash(struct db *db, const char *code, const char *iso_id, struct terminal_clash *out);

/* A terminal of a merchant and a credential hash: _current answers
 * DB_ONE_ROW when that hash is the stored one, _rotate stores it
 * (DB_NO_ROWS: no such terminal). */
struct terminal_credential {
  const char *merchant_code, *code;
  unsigned char credential_hash[ADB_SHA256_LEN];
};
enum db_status adb_terminal_credential_current(struct db *db, const struct terminal_credential *in);
enum db_status adb_terminal_rotate(struct db *db, const struct terminal_credential *in);

/* --- subscribers, devices, cards, users (fig 7) ---------------------- */

struct subscriber_new {
  const char *code, *name;
};
enum db_status adb_subscriber_add(struct db *db, const struct subscriber_new *in);

struct device_new {
  int64_t subscriber_id;
  const char *code;
  unsigned char public_key[ED25519_KEY_LEN];
};
enum db_status adb_device_add(struct db *db, const struct device_new *in);

/* A device named by its code and its subscriber's: _public_key reads the
 * enrolled key (DB_NO_ROWS: no such device), _rekey replaces it. */
struct device_ref {
  const char *subscriber_code, *code;
};
struct device_key {
  unsigned char public_key[ED25519_KEY_LEN];
};
enum db_status adb_device_public_key(struct db *db, const struct device_ref *in, struct device_key *out);
enum db_status adb_device_rekey(struct db *db, const struct device_ref *in, const struct device_key *key);
/* The subscriber a device (by id) belongs to. */
enum db_status adb_device_subscriber(struct db *db, int64_t device_id, int64_t *subscriber_id);

/* The card enrolled under an HMAC lookup hash (DB_NO_ROWS: none). */
enum db_status adb_card_by_lookup(struct db *db, const char *lookup_hex, int64_t *card_id);
/* The next id of gateway.cards: a card's ciphertext is bound to its row
 * id, so the id is taken before the row is written. */
enum db_status adb_card_next_id(struct db *db, int64_t *card_id);
struct card_new {
  int64_t id, subscriber_id;
  const unsigned char *ciphertext;
  size_t ciphertext_len;
  int key_id, aad_version;
  const char *lookup_hex, *masked, *expiry, *label;
  int pan_length;
};
enum db_status adb_card_add(struct db *db, const struct card_new *in);

/* Reads a card's expiry and locks its row for the update that follows. */
struct card_expiry {
  char expiry[8];
};
enum db_status adb_card_expiry_lock(struct db *db, int64_t card_id, struct card_expiry *out);
/* Changes the expiry, guarded by the old one (DB_NO_ROWS: it changed). */
struct card_expiry_change {
  int64_t card_id;
  const char *expiry, *old_expiry;
};
enum db_status adb_card_expiry_update(struct db *db, const struct card_expiry_change *in);

/* A card as user add checks it (row locked): owner, status, user ID. */
struct card_for_user {
  int64_t subscriber_id;
  char status[ADB_STATUS_MAX];
  char user_id[ADB_CODE_MAX]; /* "" when the card has none */
};
enum db_status adb_card_for_user(struct db *db, int64_t card_id, struct card_for_user *out);

/* DB_ONE_ROW when added, DB_NO_ROWS when the user ID is taken. */
struct user_new {
  const char *user_id, *password_hash;
  int64_t subscriber_id, card_id, device_id;
};
enum db_status adb_user_add(struct db *db, const struct user_new *in);
enum db_status adb_user_unlock(struct db *db, const char *user_id);
/* Sets user_id's web password (the HTML history's) to hash, clearing its
 * failed-attempt count and lock; with only_if_unset, only when it has
 * none.  DB_ONE_ROW, DB_NO_ROWS (unknown user ID, or one that had a
 * password with only_if_unset), or an error. */
enum db_status adb_user_web_password_set(struct db *db, const char *user_id, const char *hash, bool only_if_unset);

/* --- card key rotation ----------------------------------------------- */

/* How many cards each key holds that are not under the current key and
 * AAD format (locked ones included). */
#define ADB_KEYS_MAX 256
struct cards_old_count {
  int n_keys;
  struct {
    int key_id;
    int64_t cards;
  } keys[ADB_KEYS_MAX];
};
enum db_status adb_cards_old_count(struct db *db, int current_key, int current_aad, struct cards_old_count *out);

/* Up to `limit` such rows after id `after`, in id order, locked FOR NO KEY
 * UPDATE SKIP LOCKED. */
struct card_sealed {
  int64_t id;
  int key_id, aad_version;
  char lookup_hex[CARDCRYPT_LOOKUP_HEX];
  unsigned char ciphertext[CARDCRYPT_MAX_BLOB];
  size_t ciphertext_len;
};
struct cards_old_batch {
  int current_key, current_aad, limit;
  int64_t after;
};
struct cards_sealed {
  int n;
  struct card_sealed *rows; /* malloc'd; adb_cards_sealed_free */
};
enum db_status adb_cards_old_batch(struct db *db, const struct cards_old_batch *in, struct cards_sealed *out);
void adb_cards_sealed_free(struct cards_sealed *c);

/* Stores a card's new ciphertext, guarded by its old key and format. */
struct card_reseal {
  int64_t id;
  const unsigned char *ciphertext;
  size_t ciphertext_len;
  int key_id, aad_version, old_key_id, old_aad_version;
};
enum db_status adb_card_reencrypt(struct db *db, const struct card_reseal *in);

/* --- the UIM store, the demo ----------------------------------------- */

/* A device's enrolled key and its active user IDs with active cards.
 * DB_NO_ROWS when there is no such device. */
struct uim_user {
  char user_id[ADB_CODE_MAX], label[4 * 40 + 4], password_hash[160], card_masked[32]; /* label: 40 UTF-8 characters */
};
struct uim_users {
  unsigned char public_key[ED25519_KEY_LEN];
  bool key_ok; /* the enrolled key was read whole */
  int n;
  struct uim_user *users; /* malloc'd; adb_uim_users_free */
};
enum db_status adb_uim_users(struct db *db, const char *device_code, struct uim_users *out);
void adb_uim_users_free(struct uim_users *u);

/* Holds the demo's advisory lock until the transaction ends. */
enum db_status adb_demo_lock(struct db *db);

#endif
