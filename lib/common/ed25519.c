/* ed25519.c — Ed25519 through OpenSSL's EVP interface (see ed25519.h). */
#include "common/ed25519.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ed25519_keypair(unsigned char pub[ED25519_KEY_LEN], unsigned char priv[ED25519_KEY_LEN])
{
  EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
  size_t publen = ED25519_KEY_LEN, privlen = ED25519_KEY_LEN;
  int rc = -1;

  if (key && EVP_PKEY_get_raw_public_key(key, pub, &publen) == 1
      && EVP_PKEY_get_raw_private_key(key, priv, &privlen) == 1)
    rc = 0;
  EVP_PKEY_free(key);
  return rc;
}

int ed25519_sign(const unsigned char priv[ED25519_KEY_LEN], const void *msg, size_t len,
                 unsigned char sig[ED25519_SIG_LEN])
{
  EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, ED25519_KEY_LEN);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  size_t siglen = ED25519_SIG_LEN;
  int rc = -1;

  if (key && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1
      && EVP_DigestSign(ctx, sig, &siglen, msg, len) == 1 && siglen == ED25519_SIG_LEN)
    rc = 0;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return rc;
}

bool ed25519_verify(const unsigned char pub[ED25519_KEY_LEN], const void *msg, size_t len,
                    const unsigned char sig[ED25519_SIG_LEN])
{
  EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, ED25519_KEY_LEN);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  bool ok = key && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1
            && EVP_DigestVerify(ctx, sig, ED25519_SIG_LEN, msg, len) == 1;

  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

int ed25519_write_private_pem(const char *path, const unsigned char priv[ED25519_KEY_LEN], bool overwrite)
{
  EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, ED25519_KEY_LEN);
  int fd = open(path, O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL), 0600);
  FILE *f = NULL;
  int rc = -1;

  /* an overwritten file keeps its old mode unless it is reset here */
  if (fd >= 0 && fchmod(fd, 0600) == 0)
    f = fdopen(fd, "w");

  if (key && f && PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1)
    rc = 0;
  if (f)
    rc |= fclose(f);
  else if (fd >= 0)
    close(fd);
  EVP_PKEY_free(key);
  return rc ? -1 : 0;
}

int ed25519_read_private_pem(const char *path, unsigned char priv[ED25519_KEY_LEN], unsigned char pub[ED25519_KEY_LEN])
{
  FILE *f = fopen(path, "r");
  EVP_PKEY *key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
  size_t privlen = ED25519_KEY_LEN, publen = ED25519_KEY_LEN;
  int rc = -1;

  if (key && EVP_PKEY_id(key) == EVP_PKEY_ED25519 && EVP_PKEY_get_raw_private_key(key, priv, &privlen) == 1
      && EVP_PKEY_get_raw_public_key(key, pub, &publen) == 1)
    rc = 0;
  EVP_PKEY_free(key);
  if (f)
    fclose(f);
  return rc;
}

char *ed25519_public_pem(const unsigned char pub[ED25519_KEY_LEN])
{
  EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, ED25519_KEY_LEN);
  BIO *bio = BIO_new(BIO_s_mem());
  char *text = NULL, *data;
  long n;

  if (key && bio && PEM_write_bio_PUBKEY(bio, key) == 1 && (n = BIO_get_mem_data(bio, &data)) > 0
      && (text = malloc((size_t)n + 1))) {
    memcpy(text, data, (size_t)n);
    text[n] = '\0';
  }
  BIO_free(bio);
  EVP_PKEY_free(key);
  return text;
}
