/* token.h — the secrets of web sessions (lib/web): random tokens as hex,
 * their SHA-256 (what a database keeps instead of the token), and a
 * comparison whose time does not depend on where two texts differ. */
#ifndef WEB_TOKEN_H
#define WEB_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

/* n random bytes (OpenSSL's RAND_bytes, n <= 64) as 2n lower-case hex
 * digits into out (2n + 1 bytes): 0, or -1 when no random bytes came. */
int token_random_hex(char *out, size_t n);

/* SHA-256 of text as 64 lower-case hex digits into out. */
void token_sha256_hex(const char *text, char out[65]);

/* True when a and b are the same text: the time taken depends on their
 * lengths only (CRYPTO_memcmp), never on their contents.  NULL equals
 * nothing. */
bool token_equal(const char *a, const char *b);

#endif
