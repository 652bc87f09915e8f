/* tokencrypt.h — the second embodiment's "encrypted card number"
 * ([0145]-[0148], [0159]-[0161], claim 22): for each token request the
 * gateway makes a fresh random 256-bit key, encrypts the card number under
 * it with AES-256-GCM, hands the merchant's POS the result and the key's
 * identifier, and gives the key itself only to the card issuer's credit
 * server (ISO 8583 0600, docs/tokens.md).  The patent's toy "addition" is
 * replaced by authenticated encryption whose associated data binds the
 * ciphertext to one merchant, one amount in one currency, an expiry and
 * the key's identifier: a POS that changes any of them gets a number the
 * credit server cannot open.
 *
 * Text forms (all fit ISO 8583's ans fields 60-63 and JSON unescaped):
 *   key ID            22 characters: base64url (no padding) of 16 random bytes
 *   key               43 characters: base64url of the 32-byte key
 *   encrypted number  base64url of nonce (12) || ciphertext (len of PAN) ||
 *                     tag (16): 51 to 63 characters for 10 to 19 digits
 *   expiry            14 digits YYYYMMDDhhmmss, UTC
 * base64url rather than hex: a hex string of this length holds a run of 12
 * or more decimal digits often enough to look like a card number to the
 * checks that scan logs and pages for one.
 *
 * Associated data (one byte string has one meaning: fixed widths, '|'
 * cannot occur in any part):
 *   "paygw-token-v1|" key ID "|" merchant code "|" amount as 12 digits "|"
 *   currency as 3 digits "|" expiry */
#ifndef PAYGW_TOKENCRYPT_H
#define PAYGW_TOKENCRYPT_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_KEY_LEN 32
#define TOKEN_KEY_ID_TEXT 22 /* characters, without the NUL */
#define TOKEN_KEY_TEXT 43    /* characters, without the NUL */
#define TOKEN_EXPIRY_TEXT 14 /* characters, without the NUL */
#define TOKEN_NUMBER_TEXT_MAX 63
#define TOKEN_PAN_MIN 10
#define TOKEN_PAN_MAX 19
#define TOKEN_AMOUNT_MAX 999999999999LL /* ISO 8583 field 4: 12 digits */

/* What an encrypted card number is bound to. */
struct token_binding {
  const char *key_id;        /* TOKEN_KEY_ID_TEXT base64url characters */
  const char *merchant_code; /* field 42 without its padding: 1-15 of [0-9A-Za-z] */
  long long amount;          /* minor units, 1..TOKEN_AMOUNT_MAX */
  const char *currency;      /* ISO 4217 numeric: 3 digits */
  const char *expiry;        /* YYYYMMDDhhmmss, UTC */
};

/* A fresh random key and key ID (key_id: TOKEN_KEY_ID_TEXT + 1 bytes).
 * Returns 0, or -1 when the random generator fails (key wiped). */
int token_new_key(unsigned char key[TOKEN_KEY_LEN], char key_id[TOKEN_KEY_ID_TEXT + 1]);

/* Checks of the text forms. */
bool token_key_id_valid(const char *s);
bool token_expiry_valid(const char *s); /* 14 digits forming a real UTC date and time */
bool token_binding_valid(const struct token_binding *b);

/* The associated data of b into out (capacity cap); its length, or -1 when
 * b is not valid or cap too small. */
int token_aad(const struct token_binding *b, char *out, size_t cap);

/* Encrypts pan (10-19 digits) under key, bound to b, with a fresh random
 * nonce: the encrypted number's text into out (at least
 * TOKEN_NUMBER_TEXT_MAX + 1 bytes).  Returns 0 or -1 (bad pan or binding,
 * out too small, OpenSSL failure). */
int token_encrypt(const unsigned char key[TOKEN_KEY_LEN], const struct token_binding *b, const char *pan, char *out,
                  size_t cap);

/* Opens an encrypted number's text with key and the binding the credit
 * request claims, into pan (at least TOKEN_PAN_MAX + 1 bytes).  Returns 0,
 * or -1 when the text is malformed, the key or any part of the binding is
 * not the one it was sealed with, or the result is not 10-19 digits (pan
 * wiped).  The caller wipes pan with OPENSSL_cleanse after use. */
int token_decrypt(const unsigned char key[TOKEN_KEY_LEN], const struct token_binding *b, const char *number_text,
                  char *pan, size_t pan_cap);

/* The key as text (out: TOKEN_KEY_TEXT + 1 bytes) and back; key_from_text
 * returns 0 or -1 (not 43 base64url characters of a 32-byte key). */
void token_key_to_text(const unsigned char key[TOKEN_KEY_LEN], char out[TOKEN_KEY_TEXT + 1]);
int token_key_from_text(const char *text, unsigned char key[TOKEN_KEY_LEN]);

#endif
