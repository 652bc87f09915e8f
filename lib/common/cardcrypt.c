/* cardcrypt.c — AES-256-GCM card-number encryption and HMAC lookup keys
 * (see cardcrypt.h for the key-file format). */
#include "common/cardcrypt.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DATA_KEYS 32
#define KEY_LEN 32

struct data_key {
  int id;
  unsigned char key[KEY_LEN];
};

static struct data_key data_keys[MAX_DATA_KEYS];
static int n_data_keys;
static unsigned char lookup_key[KEY_LEN];
static bool have_lookup_key;

static int hex_to_key(const char *hex, unsigned char key[KEY_LEN])
{
  if (strlen(hex) != 2 * KEY_LEN)
    return -1;
  for (int i = 0; i < KEY_LEN; i++) {
    unsigned v;
    if (sscanf(hex + 2 * i, "%2x", &v) != 1)
      return -1;
    key[i] = (unsigned char)v;
  }
  return 0;
}

static void forget_keys(void)
{
  OPENSSL_cleanse(data_keys, sizeof data_keys);
  OPENSSL_cleanse(lookup_key, sizeof lookup_key);
  n_data_keys = 0;
  have_lookup_key = false;
}

/* Parses one non-comment line; returns 0 or -1. */
static int parse_key_line(char *line)
{
  char kind[16], hex[80];
  int id;

  if (sscanf(line, "data-key %d %79s", &id, hex) == 2) {
    if (id <= 0 || n_data_keys == MAX_DATA_KEYS)
      return -1;
    data_keys[n_data_keys].id = id;
    if (hex_to_key(hex, data_keys[n_data_keys].key) != 0)
      return -1;
    n_data_keys++;
    return 0;
  }
  if (sscanf(line, "%15s %79s", kind, hex) == 2 && strcmp(kind, "lookup-key") == 0
      && !have_lookup_key) {
    have_lookup_key = hex_to_key(hex, lookup_key) == 0;
    return have_lookup_key ? 0 : -1;
  }
  return -1;
}

int cardkeys_load(const char *path, char *err, size_t errlen)
{
  struct stat st;
  char line[256];
  int lineno = 0;

  forget_keys();
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "cannot open card key file %s: %s", path, strerror(errno));
    return -1;
  }
  if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
    snprintf(err, errlen, "card key file %s must not be readable by group or others (chmod 600)", path);
    fclose(f);
    return -1;
  }
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (line[0] == '#' || line[0] == '\n')
      continue;
    if (parse_key_line(line) != 0) {
      snprintf(err, errlen, "card key file %s: line %d is malformed", path, lineno);
      OPENSSL_cleanse(line, sizeof line);
      fclose(f);
      forget_keys();
      return -1;
    }
  }
  OPENSSL_cleanse(line, sizeof line);
  fclose(f);
  if (n_data_keys == 0 || !have_lookup_key) {
    snprintf(err, errlen, "card key file %s needs a data-key and a lookup-key line", path);
    forget_keys();
    return -1;
  }
  return 0;
}

static int write_key_line(FILE *f, const char *prefix, const unsigned char key[KEY_LEN])
{
  fputs(prefix, f);
  for (int i = 0; i < KEY_LEN; i++)
    fprintf(f, "%02x", key[i]);
  return fputc('\n', f) == EOF ? -1 : 0;
}

int cardkeys_create(const char *path, char *err, size_t errlen)
{
  unsigned char k1[KEY_LEN], k2[KEY_LEN];
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

  if (fd < 0) {
    snprintf(err, errlen, "cannot create card key file %s: %s", path, strerror(errno));
    return -1;
  }
  FILE *f = fdopen(fd, "w");
  if (!f || RAND_bytes(k1, KEY_LEN) != 1 || RAND_bytes(k2, KEY_LEN) != 1) {
    snprintf(err, errlen, "cannot generate card keys");
    if (f) fclose(f); else close(fd);
    return -1;
  }
  fputs("# paygw card keys: keep outside the database, mode 0600\n", f);
  int rc = write_key_line(f, "data-key 1 ", k1) | write_key_line(f, "lookup-key ", k2);
  OPENSSL_cleanse(k1, sizeof k1);
  OPENSSL_cleanse(k2, sizeof k2);
  if (fclose(f) != 0 || rc != 0) {
    snprintf(err, errlen, "cannot write card key file %s", path);
    return -1;
  }
  return cardkeys_load(path, err, errlen);
}

int cardkeys_add_data_key(const char *path, char *err, size_t errlen)
{
  unsigned char k[KEY_LEN];
  char prefix[32];

  if (cardkeys_load(path, err, errlen) != 0)
    return -1;
  int id = 0;
  for (int i = 0; i < n_data_keys; i++)
    if (data_keys[i].id > id)
      id = data_keys[i].id;
  id++;
  FILE *f = fopen(path, "a");
  if (!f || RAND_bytes(k, KEY_LEN) != 1) {
    snprintf(err, errlen, "cannot append to card key file %s", path);
    if (f) fclose(f);
    return -1;
  }
  snprintf(prefix, sizeof prefix, "data-key %d ", id);
  int rc = write_key_line(f, prefix, k);
  OPENSSL_cleanse(k, sizeof k);
  if (fclose(f) != 0 || rc != 0) {
    snprintf(err, errlen, "cannot write card key file %s", path);
    return -1;
  }
  return cardkeys_load(path, err, errlen) == 0 ? id : -1;
}

int cardkeys_current_id(void)
{
  return n_data_keys ? data_keys[n_data_keys - 1].id : 0;
}

static const struct data_key *find_key(int id)
{
  for (int i = 0; i < n_data_keys; i++)
    if (data_keys[i].id == id)
      return &data_keys[i];
  return NULL;
}

/* The key id is authenticated with the ciphertext, so a blob cannot be
 * passed off as belonging to another key. */
static void make_aad(int key_id, char aad[32], int *aad_len)
{
  *aad_len = snprintf(aad, 32, "paygw-card-v1:%d", key_id);
}

int card_encrypt(const char *pan, unsigned char *blob, size_t *blob_len, int *key_id)
{
  const struct data_key *k = n_data_keys ? &data_keys[n_data_keys - 1] : NULL;
  size_t pan_len = strlen(pan);
  char aad[32];
  int aad_len, n, fin, rc = -1;

  if (!k || pan_len > 32)
    return -1;
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  make_aad(k->id, aad, &aad_len);
  if (ctx && RAND_bytes(blob, CARDCRYPT_IV_LEN) == 1
      && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->key, blob) == 1
      && EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, aad_len) == 1
      && EVP_EncryptUpdate(ctx, blob + CARDCRYPT_IV_LEN, &n, (const unsigned char *)pan, (int)pan_len) == 1
      && EVP_EncryptFinal_ex(ctx, blob + CARDCRYPT_IV_LEN + n, &fin) == 1
      && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CARDCRYPT_TAG_LEN,
                             blob + CARDCRYPT_IV_LEN + n + fin) == 1) {
    *blob_len = CARDCRYPT_IV_LEN + (size_t)(n + fin) + CARDCRYPT_TAG_LEN;
    *key_id = k->id;
    rc = 0;
  }
  EVP_CIPHER_CTX_free(ctx);
  return rc;
}

int card_decrypt(int key_id, const unsigned char *blob, size_t blob_len, char *pan, size_t pan_len)
{
  const struct data_key *k = find_key(key_id);
  char aad[32];
  int aad_len, n, fin, rc = -1;

  if (!k || blob_len <= CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN || blob_len > CARDCRYPT_MAX_BLOB)
    return -1;
  int ct_len = (int)(blob_len - CARDCRYPT_IV_LEN - CARDCRYPT_TAG_LEN);
  if ((size_t)ct_len >= pan_len)
    return -1;
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  make_aad(key_id, aad, &aad_len);
  if (ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->key, blob) == 1
      && EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, aad_len) == 1
      && EVP_DecryptUpdate(ctx, (unsigned char *)pan, &n, blob + CARDCRYPT_IV_LEN, ct_len) == 1
      && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CARDCRYPT_TAG_LEN,
                             (void *)(blob + blob_len - CARDCRYPT_TAG_LEN)) == 1
      && EVP_DecryptFinal_ex(ctx, (unsigned char *)pan + n, &fin) == 1) {
    pan[n + fin] = '\0';
    rc = 0;
  } else {
    OPENSSL_cleanse(pan, pan_len);
  }
  EVP_CIPHER_CTX_free(ctx);
  return rc;
}

int card_lookup_hash(const char *pan, char out[CARDCRYPT_LOOKUP_HEX])
{
  unsigned char mac[32];
  unsigned int mac_len = 0;

  if (!have_lookup_key
      || !HMAC(EVP_sha256(), lookup_key, KEY_LEN, (const unsigned char *)pan, strlen(pan), mac, &mac_len))
    return -1;
  for (unsigned i = 0; i < mac_len; i++)
    snprintf(out + 2 * i, 3, "%02x", mac[i]);
  return 0;
}
