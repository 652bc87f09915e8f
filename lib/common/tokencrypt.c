/* tokencrypt.c — per-request keys and AES-256-GCM encrypted card numbers
 * (formats in tokencrypt.h). */
#include "common/tokencrypt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/b64url.h"

#define NONCE_LEN 12
#define TAG_LEN 16
#define KEY_ID_BYTES 16
#define BLOB_MAX (NONCE_LEN + TOKEN_PAN_MAX + TAG_LEN)
#define AAD_MAX 128

static bool all_in(const char *s, size_t len, const char *alphabet)
{
  if (strlen(s) != len)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!strchr(alphabet, s[i]) || s[i] == '\0')
      return false;
  return true;
}

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char DIGITS[] = "0123456789";
static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

bool token_key_id_valid(const char *s)
{
  unsigned char raw[KEY_ID_BYTES + 2];
  return s && all_in(s, TOKEN_KEY_ID_TEXT, B64URL) && b64url_decode(s, raw, sizeof raw) == KEY_ID_BYTES;
}

bool token_expiry_valid(const char *s)
{
  if (!s || !all_in(s, TOKEN_EXPIRY_TEXT, DIGITS))
    return false;
  struct tm tm = { 0 };
  if (sscanf(s, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return false;
  struct tm want = tm;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t t = timegm(&tm); /* normalises 31 April to 1 May: compare back */
  struct tm back;
  if (t == (time_t)-1 || !gmtime_r(&t, &back))
    return false;
  return back.tm_year + 1900 == want.tm_year && back.tm_mon + 1 == want.tm_mon && back.tm_mday == want.tm_mday
         && back.tm_hour == want.tm_hour && back.tm_min == want.tm_min && back.tm_sec == want.tm_sec;
}

static bool merchant_code_valid(const char *s)
{
  size_t n = s ? strlen(s) : 0;
  return n >= 1 && n <= 15 && all_in(s, n, ALNUM);
}

bool token_binding_valid(const struct token_binding *b)
{
  return b && token_key_id_valid(b->key_id) && merchant_code_valid(b->merchant_code) && b->amount >= 1
         && b->amount <= TOKEN_AMOUNT_MAX && b->currency && all_in(b->currency, 3, DIGITS)
         && token_expiry_valid(b->expiry);
}

int token_aad(const struct token_binding *b, char *out, size_t cap)
{
  if (!token_binding_valid(b))
    return -1;
  int n = snprintf(out, cap, "paygw-token-v1|%s|%s|%012lld|%s|%s", b->key_id, b->merchant_code, b->amount, b->currency,
                   b->expiry);
  return n < 0 || (size_t)n >= cap ? -1 : n;
}

int token_new_key(unsigned char key[TOKEN_KEY_LEN], char key_id[TOKEN_KEY_ID_TEXT + 1])
{
  unsigned char id[KEY_ID_BYTES];
  if (RAND_bytes(key, TOKEN_KEY_LEN) != 1 || RAND_bytes(id, sizeof id) != 1) {
    OPENSSL_cleanse(key, TOKEN_KEY_LEN);
    return -1;
  }
  b64url_encode(id, sizeof id, key_id);
  return 0;
}

static bool pan_valid(const char *pan)
{
  size_t n = pan ? strlen(pan) : 0;
  return n >= TOKEN_PAN_MIN && n <= TOKEN_PAN_MAX && all_in(pan, n, DIGITS);
}

/* One AES-256-GCM pass.  Encrypting: in → out, tag written.  Decrypting:
 * in → out, tag checked.  Returns 0 or -1. */
static int gcm(bool encrypt, const unsigned char key[TOKEN_KEY_LEN], const unsigned char nonce[NONCE_LEN],
               const char *aad, int aad_len, const unsigned char *in, int len, unsigned char *out,
               unsigned char tag[TAG_LEN])
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  int n = 0, rc = -1;
  if (!ctx)
    return -1;
  if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) != 1
      || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) != 1
      || EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, encrypt) != 1
      || EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)aad, aad_len) != 1
      || EVP_CipherUpdate(ctx, out, &n, in, len) != 1)
    goto done;
  if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) != 1)
    goto done;
  if (EVP_CipherFinal_ex(ctx, out + n, &n) != 1)
    goto done;
  if (encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) != 1)
    goto done;
  rc = 0;
done:
  EVP_CIPHER_CTX_free(ctx);
  return rc;
}

int token_encrypt(const unsigned char key[TOKEN_KEY_LEN], const struct token_binding *b, const char *pan, char *out,
                  size_t cap)
{
  char aad[AAD_MAX];
  unsigned char blob[BLOB_MAX];
  int aad_len = token_aad(b, aad, sizeof aad);
  if (aad_len < 0 || !pan_valid(pan))
    return -1;
  int len = (int)strlen(pan);
  size_t blob_len = NONCE_LEN + (size_t)len + TAG_LEN;
  if (cap < b64url_encoded_len(blob_len) + 1 || RAND_bytes(blob, NONCE_LEN) != 1)
    return -1;
  int rc =
      gcm(true, key, blob, aad, aad_len, (const unsigned char *)pan, len, blob + NONCE_LEN, blob + NONCE_LEN + len);
  if (rc == 0)
    b64url_encode(blob, blob_len, out);
  OPENSSL_cleanse(blob, sizeof blob);
  return rc;
}

int token_decrypt(const unsigned char key[TOKEN_KEY_LEN], const struct token_binding *b, const char *number_text,
                  char *pan, size_t pan_cap)
{
  char aad[AAD_MAX];
  unsigned char blob[BLOB_MAX + 3];
  int aad_len = token_aad(b, aad, sizeof aad);
  if (pan_cap < TOKEN_PAN_MAX + 1 || aad_len < 0 || !number_text || strlen(number_text) > TOKEN_NUMBER_TEXT_MAX)
    return -1;
  long blob_len = b64url_decode(number_text, blob, sizeof blob);
  if (blob_len < NONCE_LEN + TOKEN_PAN_MIN + TAG_LEN || blob_len > BLOB_MAX)
    return -1;
  int len = (int)blob_len - NONCE_LEN - TAG_LEN;
  int rc = gcm(false, key, blob, aad, aad_len, blob + NONCE_LEN, len, (unsigned char *)pan, blob + NONCE_LEN + len);
  if (rc == 0) {
    pan[len] = '\0';
    if (!pan_valid(pan))
      rc = -1;
  }
  if (rc != 0)
    OPENSSL_cleanse(pan, pan_cap);
  return rc;
}

void token_key_to_text(const unsigned char key[TOKEN_KEY_LEN], char out[TOKEN_KEY_TEXT + 1])
{
  b64url_encode(key, TOKEN_KEY_LEN, out);
}

int token_key_from_text(const char *text, unsigned char key[TOKEN_KEY_LEN])
{
  unsigned char raw[TOKEN_KEY_LEN + 2];
  if (!text || !all_in(text, TOKEN_KEY_TEXT, B64URL) || b64url_decode(text, raw, sizeof raw) != TOKEN_KEY_LEN) {
    OPENSSL_cleanse(raw, sizeof raw);
    return -1;
  }
  memcpy(key, raw, TOKEN_KEY_LEN);
  OPENSSL_cleanse(raw, sizeof raw);
  return 0;
}
