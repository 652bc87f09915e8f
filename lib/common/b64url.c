/* b64url.c — base64url encoding and strict decoding. */
#include "common/b64url.h"

#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t b64url_encoded_len(size_t n)
{
  return (n / 3) * 4 + (n % 3 ? n % 3 + 1 : 0);
}

void b64url_encode(const unsigned char *in, size_t n, char *out)
{
  size_t o = 0, i = 0;

  for (; i + 2 < n; i += 3) {
    unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
    out[o++] = alphabet[v >> 18 & 63];
    out[o++] = alphabet[v >> 12 & 63];
    out[o++] = alphabet[v >> 6 & 63];
    out[o++] = alphabet[v & 63];
  }
  if (n - i == 1) {
    unsigned v = (unsigned)in[i] << 16;
    out[o++] = alphabet[v >> 18 & 63];
    out[o++] = alphabet[v >> 12 & 63];
  } else if (n - i == 2) {
    unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
    out[o++] = alphabet[v >> 18 & 63];
    out[o++] = alphabet[v >> 12 & 63];
    out[o++] = alphabet[v >> 6 & 63];
  }
  out[o] = '\0';
}

static int sextet(char c)
{
  const char *p = c ? strchr(alphabet, c) : NULL;
  return p ? (int)(p - alphabet) : -1;
}

long b64url_decode(const char *text, unsigned char *out, size_t outcap)
{
  size_t len = strlen(text), o = 0;
  unsigned acc = 0;
  int bits = 0;

  if (len % 4 == 1)
    return -1;
  for (size_t i = 0; i < len; i++) {
    int s = sextet(text[i]);
    if (s < 0)
      return -1;
    acc = (acc << 6) | (unsigned)s;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o == outcap)
        return -1;
      out[o++] = (unsigned char)(acc >> bits);
    }
  }
  /* leftover bits must be zero, so every value has exactly one encoding */
  if (bits && (acc & ((1u << bits) - 1)))
    return -1;
  return (long)o;
}
