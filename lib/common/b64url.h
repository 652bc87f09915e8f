/* b64url.h — base64url without padding (RFC 4648 §5), for signatures,
 * challenges and keys in JSON. */
#ifndef PAYGW_B64URL_H
#define PAYGW_B64URL_H

#include <stddef.h>

/* Encoded length (without NUL) of n bytes. */
size_t b64url_encoded_len(size_t n);

/* Encodes n bytes into out (>= b64url_encoded_len(n) + 1 bytes). */
void b64url_encode(const unsigned char *in, size_t n, char *out);

/* Decodes text into out (capacity outcap).  Returns the number of bytes,
 * or -1 on a character outside the alphabet, padding, bad length or a
 * result that would not fit. */
long b64url_decode(const char *text, unsigned char *out, size_t outcap);

#endif
