/* cardcrypt.h — card numbers at rest: AES-256-GCM under a data key from a
 * key file outside the database, and a keyed lookup hash (HMAC-SHA256 with a
 * key of its own) for finding a card by number without storing it in clear.
 *
 * Key file (mode 0600, owner only), one key per line, '#' comments:
 *     data-key <id> <64 hex digits>     one or more; the last line is current
 *     lookup-key <64 hex digits>        exactly one
 * A data-key ID appears once only; at most 32 data keys.
 * Rotation: `paygw-admin keys rotate` adds a data-key line, then restart the
 * workers and run `paygw-admin cards reencrypt` to move old rows to it (it
 * also seals rows of an older AAD format again, bound to their row). */
#ifndef PAYGW_CARDCRYPT_H
#define PAYGW_CARDCRYPT_H

#include <stdbool.h>
#include <stddef.h>

#define CARDCRYPT_IV_LEN 12
#define CARDCRYPT_TAG_LEN 16
#define CARDCRYPT_MAX_BLOB (CARDCRYPT_IV_LEN + 32 + CARDCRYPT_TAG_LEN)
#define CARDCRYPT_LOOKUP_HEX 65

/* Loads the key file into process memory.  Returns 0, or -1 with a reason in
 * err (never key material).  Refuses a file readable by group or others. */
int cardkeys_load(const char *path, char *err, size_t errlen);

/* Creates a key file with one fresh data key (id 1) and a lookup key.
 * Fails if the file exists.  Returns 0 or -1 with err. */
int cardkeys_create(const char *path, char *err, size_t errlen);

/* Adds a new data key (id = highest + 1) to an existing key file and
 * reloads it.  Holds flock(LOCK_EX) on "<path>.lock" throughout; builds the
 * new file in memory, refuses it unless it parses (e.g. a 33rd key), then
 * writes "<path>.tmp" (0600, the key file's owner), fsyncs and renames it
 * over path, so the file is either unchanged or whole.  Returns the new key
 * id, or -1 with err (the file unchanged). */
int cardkeys_add_data_key(const char *path, char *err, size_t errlen);

/* Id of the key new encryptions use (0 when nothing is loaded). */
int cardkeys_current_id(void);

/* True when the loaded key file holds data key `key_id`. */
bool cardkeys_has_key(int key_id);

/* What a card's ciphertext is bound to, authenticated as the AES-GCM
 * associated data (AAD): a ciphertext copied into another row, or next to
 * another lookup hash, fails to decrypt. */
struct card_binding {
  long long row_id;       /* the id of the row that holds it (> 0) */
  const char *lookup_hex; /* the row's lookup hash: 64 lower-case hex digits */
};

/* AAD formats, recorded per row (gateway.cards.pan_aad,
 * issuer.card_accounts.card_aad):
 *   1  "paygw-card-v1:<key id>" as text: rows sealed before migration 0011;
 *      read only, until `paygw-admin cards reencrypt` moves them to 2
 *   2  "paygw-card" · the byte 2 · key id (4 bytes) · row id (8 bytes) ·
 *      lookup hash (32 bytes), integers big-endian: fixed widths, so one
 *      byte string has one meaning */
#define CARD_AAD_V1 1
#define CARD_AAD_V2 2
#define CARD_AAD_CURRENT CARD_AAD_V2
#define CARDCRYPT_AAD_V2_LEN 55
#define CARDCRYPT_AAD_MAX 64

/* The AAD of format `version` for key_id and b (b unused by format 1) into
 * out; returns its length, or -1 when version, key_id or b is not valid. */
int card_aad(int version, int key_id, const struct card_binding *b, unsigned char out[CARDCRYPT_AAD_MAX]);

/* Encrypts pan under the current key, bound to b (AAD format
 * CARD_AAD_CURRENT), into blob (>= CARDCRYPT_MAX_BLOB bytes): iv ||
 * ciphertext || tag.  Sets *blob_len and *key_id.  Returns 0 or -1.  The
 * row's id must be known first (take it from the table's sequence). */
int card_encrypt(const char *pan, const struct card_binding *b, unsigned char *blob, size_t *blob_len, int *key_id);

/* card_encrypt with another AAD format: only for tests that make a row as
 * it was before migration 0011 (format 1), to prove it is still read and
 * re-encrypted. */
int card_encrypt_as(int aad_version, const char *pan, const struct card_binding *b, unsigned char *blob,
                    size_t *blob_len, int *key_id);

/* Decrypts a blob that key `key_id` sealed with AAD format aad_version for
 * b into pan (>= 20 bytes), and checks that the number's lookup hash is
 * b->lookup_hex.  Returns 0, or -1 when the key is unknown, the blob was
 * tampered with or belongs to another row or lookup hash (pan wiped).  The
 * caller wipes pan with OPENSSL_cleanse after use. */
int card_decrypt(int key_id, int aad_version, const struct card_binding *b, const unsigned char *blob, size_t blob_len,
                 char *pan, size_t pan_len);

/* Other secrets at rest under the same data keys (a merchant's webhook
 * secret, lib/common/webhook_sig.h): len bytes (1..CARDCRYPT_SEAL_MAX)
 * sealed with AES-256-GCM under the current key and bound to aad (at most
 * CARDCRYPT_AAD_MAX bytes; each use has its own tag, so a card's blob never
 * opens as a secret): iv || ciphertext || tag into blob (>= len + 28
 * bytes), *blob_len and *key_id set.  Returns 0 or -1.  A secret stays
 * readable while its key is in the key file; `cards reencrypt` does not
 * move it (rotating the secret seals the new one under the current key). */
#define CARDCRYPT_SEAL_MAX 64
int cardkeys_seal(const unsigned char *plain, size_t len, const unsigned char *aad, size_t aad_len, unsigned char *blob,
                  size_t *blob_len, int *key_id);

/* Opens what cardkeys_seal sealed under key_id with the same aad into
 * plain (capacity cap, at least one byte more than the secret), setting
 * *plain_len.  Returns 0, or -1 (unknown key, tampered blob, other aad;
 * plain wiped).  The caller wipes plain with OPENSSL_cleanse after use. */
int cardkeys_open(int key_id, const unsigned char *aad, size_t aad_len, const unsigned char *blob, size_t blob_len,
                  unsigned char *plain, size_t cap, size_t *plain_len);

/* HMAC-SHA256(lookup key, pan) as 64 lower-case hex digits + NUL. */
int card_lookup_hash(const char *pan, char out[CARDCRYPT_LOOKUP_HEX]);

#endif
