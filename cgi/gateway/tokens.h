/* tokens.h — the random values of a payment: transaction numbers, binding
 * codes, device-auth challenges and handset session tokens.  All from
 * OpenSSL's CSPRNG. */
#ifndef PAYGW_TOKENS_H
#define PAYGW_TOKENS_H

#include <stddef.h>

#define TXN_NUMBER_LEN 16    /* Crockford base32, 80 random bits */
#define BINDING_CODE_LEN 4   /* from an alphabet without look-alikes */
#define CHALLENGE_LEN 43     /* base64url of 32 bytes */
#define SESSION_TOKEN_LEN 43 /* base64url of 32 bytes */

/* Each writes a NUL-terminated value into out (at least LEN + 1 bytes).
 * Returns 0, or -1 when the random generator fails. */
int token_txn_number(char out[TXN_NUMBER_LEN + 1]);
int token_binding_code(char out[BINDING_CODE_LEN + 1]);
int token_b64url32(char out[CHALLENGE_LEN + 1]);

/* SHA-256 of text, raw (32 bytes). */
void token_sha256(const char *text, unsigned char out[32]);

/* ... as 64 lower-case hex digits + NUL: how credentials and sessions are
 * stored and compared. */
void token_sha256_hex(const char *text, char out[65]);

/* n bytes as 2n lower-case hex digits + NUL. */
void token_hex(const unsigned char *in, size_t n, char *out);

/* True when text is 1..max chars of [A-Za-z0-9_-]. */
int token_is_code(const char *text, size_t max);

#endif
