/* token.c — random tokens, their hashes and constant-time comparison. */
#include "web/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

static void to_hex(const unsigned char *raw, size_t n, char *out)
{
  static const char hex[] = "0123456789abcdef";

  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[2 * n] = '\0';
}

int token_random_hex(char *out, size_t n)
{
  unsigned char raw[64];

  if (n > sizeof raw || RAND_bytes(raw, (int)n) != 1)
    return -1;
  to_hex(raw, n, out);
  OPENSSL_cleanse(raw, sizeof raw);
  return 0;
}

void token_sha256_hex(const char *text, char out[65])
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL);
  to_hex(md, 32, out);
}

bool token_equal(const char *a, const char *b)
{
  if (!a || !b)
    return false;
  size_t n = strlen(a);
  return strlen(b) == n && CRYPTO_memcmp(a, b, n) == 0;
}
