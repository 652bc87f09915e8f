/* webhook_sig.c — see webhook_sig.h.  Base64 here is the standard alphabet
 * with padding (RFC 4648 §4), as the Standard Webhooks specification
 * writes both secrets and signatures. */
#include "common/webhook_sig.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_PREFIX "whsec_"
#define PREFIX_LEN (sizeof SECRET_PREFIX - 1)

int webhook_secret_new(unsigned char raw[WEBHOOK_SECRET_LEN], char text[WEBHOOK_SECRET_TEXT_LEN])
{
  if (RAND_bytes(raw, WEBHOOK_SECRET_LEN) != 1)
    return -1;
  memcpy(text, SECRET_PREFIX, PREFIX_LEN);
  EVP_EncodeBlock((unsigned char *)text + PREFIX_LEN, raw, WEBHOOK_SECRET_LEN);
  return 0;
}

static bool is_b64(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

long webhook_secret_decode(const char *text, unsigned char *out, size_t cap)
{
  unsigned char buf[3 * (WEBHOOK_SECRET_TEXT_LEN / 4) + 3];

  if (!text || strncmp(text, SECRET_PREFIX, PREFIX_LEN) != 0)
    return -1;
  const char *b64 = text + PREFIX_LEN;
  size_t len = strlen(b64), pad = 0;
  if (len == 0 || len % 4 != 0 || len > WEBHOOK_SECRET_TEXT_LEN - PREFIX_LEN - 1)
    return -1;
  while (pad < 2 && b64[len - 1 - pad] == '=')
    pad++;
  for (size_t i = 0; i < len - pad; i++)
    if (!is_b64(b64[i]))
      return -1;
  int n = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)len);
  if (n < 0 || (size_t)n < pad || (size_t)n - pad > cap) {
    OPENSSL_cleanse(buf, sizeof buf);
    return -1;
  }
  n -= (int)pad; /* EVP_DecodeBlock counts the padding as zero bytes */
  memcpy(out, buf, (size_t)n);
  OPENSSL_cleanse(buf, sizeof buf);
  return n;
}

int webhook_sign(const unsigned char *key, size_t key_len, const char *id, long long timestamp, const char *body,
                 size_t body_len, char sig[WEBHOOK_SIG_LEN])
{
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  int head_len = snprintf(NULL, 0, "%s.%lld.", id, timestamp);

  if (head_len < 0 || body_len > WEBHOOK_BODY_MAX)
    return -1;
  /* the signed content is id.timestamp.body, in one buffer for HMAC() */
  size_t len = (size_t)head_len + body_len;
  char *content = malloc(len + 1);
  if (!content)
    return -1;
  snprintf(content, (size_t)head_len + 1, "%s.%lld.", id, timestamp);
  memcpy(content + head_len, body, body_len);
  bool ok = HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)content, len, mac, &mac_len) && mac_len == 32;
  free(content);
  if (!ok)
    return -1;
  memcpy(sig, "v1,", 3);
  EVP_EncodeBlock((unsigned char *)sig + 3, mac, (int)mac_len);
  return 0;
}

void webhook_secret_aad(long long merchant_id, unsigned char out[WEBHOOK_AAD_LEN])
{
  unsigned long long v = (unsigned long long)merchant_id;

  memcpy(out, "paygw-webhook-secret", 20);
  for (int i = 7; i >= 0; i--, v >>= 8)
    out[20 + i] = (unsigned char)(v & 0xff);
}
