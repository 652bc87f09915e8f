/* cardcrypt.h — card numbers at rest: AES-256-GCM under a data key from a
 * key file outside the database, and a keyed lookup hash (HMAC-SHA256 with a
 * key of its own) for finding a card by number without storing it in clear.
 *
 * Key file (mode 0600, owner only), one key per line, '#' comments:
 *     data-key <id> <64 hex digits>     one or more; the last line is current
 *     lookup-key <64 hex digits>        exactly one
 * A data-key ID appears once only; at most 32 data keys.
 * Rotation: `paygw-admin keys rotate` adds a data-key line, then restart the
 * workers and run `paygw-admin cards reencrypt` to move old rows to it. */
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

/* Encrypts pan under the current key into blob (>= CARDCRYPT_MAX_BLOB bytes):
 * iv || ciphertext || tag.  Sets *blob_len and *key_id.  Returns 0 or -1. */
int card_encrypt(const char *pan, unsigned char *blob, size_t *blob_len, int *key_id);

/* Decrypts a blob made by card_encrypt with key `key_id` into pan
 * (>= 20 bytes).  Returns 0, or -1 when the key is unknown or the blob was
 * tampered with.  The caller wipes pan with OPENSSL_cleanse after use. */
int card_decrypt(int key_id, const unsigned char *blob, size_t blob_len, char *pan, size_t pan_len);

/* HMAC-SHA256(lookup key, pan) as 64 lower-case hex digits + NUL. */
int card_lookup_hash(const char *pan, char out[CARDCRYPT_LOOKUP_HEX]);

#endif
