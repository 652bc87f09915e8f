/* tokens.c — see tokens.h. */
#include "gateway/tokens.h"
#include "common/b64url.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

/* Each character is drawn without modulo bias: 32 divides 256. */
static int random_from(const char *alphabet, size_t alphabet_len, char *out, size_t n)
{
  unsigned char raw[32];

  if (n > sizeof raw || RAND_bytes(raw, (int)n) != 1)
    return -1;
  for (size_t i = 0; i < n; i++)
    out[i] = alphabet[raw[i] % alphabet_len];
  out[n] = '\0';
  return 0;
}

int token_txn_number(char out[TXN_NUMBER_LEN + 1])
{
  static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* 32 */
  return random_from(crockford, 32, out, TXN_NUMBER_LEN);
}

int token_binding_code(char out[BINDING_CODE_LEN + 1])
{
  /* 32 characters without the look-alikes 0/O and 1/I */
  static const char clear[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  return random_from(clear, 32, out, BINDING_CODE_LEN);
}

int token_b64url32(char out[CHALLENGE_LEN + 1])
{
  unsigned char raw[32];

  if (RAND_bytes(raw, sizeof raw) != 1)
    return -1;
  b64url_encode(raw, sizeof raw, out);
  return 0;
}

void token_sha256(const char *text, unsigned char out[32])
{
  unsigned int len = 0;
  EVP_Digest(text, strlen(text), out, &len, EVP_sha256(), NULL);
}

int token_is_code(const char *text, size_t max)
{
  size_t n = strlen(text);
  if (n == 0 || n > max)
    return 0;
  for (const char *p = text; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' || *p == '-'))
      return 0;
  return 1;
}

void token_hex(const unsigned char *in, size_t n, char *out)
{
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 0x0f];
  }
  out[2 * n] = '\0';
}

void token_sha256_hex(const char *text, char out[65])
{
  unsigned char digest[32];
  token_sha256(text, digest);
  token_hex(digest, sizeof digest, out);
}
