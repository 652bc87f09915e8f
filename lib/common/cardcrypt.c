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
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DATA_KEYS 32
#define KEY_LEN 32
#define KEY_FILE_MAX 16384 /* 32 data keys take about 2.5 KiB */

struct data_key {
  int id;
  unsigned char key[KEY_LEN];
};

/* The keys of one key file.  The file is parsed into a scratch set first,
 * so a bad file (or a rotation that would make one) changes nothing. */
struct keyset {
  struct data_key data[MAX_DATA_KEYS];
  int n_data;
  unsigned char lookup[KEY_LEN];
  bool have_lookup;
};

static struct keyset keys; /* what this process uses */

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

static void keyset_wipe(struct keyset *ks)
{
  OPENSSL_cleanse(ks, sizeof *ks);
}

static bool has_data_key(const struct keyset *ks, int id)
{
  for (int i = 0; i < ks->n_data; i++)
    if (ks->data[i].id == id)
      return true;
  return false;
}

/* Parses one non-comment line into ks; returns NULL or what is wrong.  A
 * data-key ID may appear once only: decryption looks keys up by ID, so a
 * second key under the same ID would leave rows nobody can read. */
static const char *parse_key_line(const char *line, struct keyset *ks)
{
  char kind[16], hex[80], extra[2];
  int id;

  if (sscanf(line, "data-key %d %79s %1s", &id, hex, extra) == 2) {
    if (id <= 0)
      return "is malformed";
    if (has_data_key(ks, id))
      return "repeats a data-key ID";
    if (ks->n_data == MAX_DATA_KEYS)
      return "is one data key too many (at most 32)";
    ks->data[ks->n_data].id = id;
    if (hex_to_key(hex, ks->data[ks->n_data].key) != 0)
      return "is malformed";
    ks->n_data++;
    return NULL;
  }
  if (sscanf(line, "%15s %79s %1s", kind, hex, extra) == 2 && strcmp(kind, "lookup-key") == 0) {
    if (ks->have_lookup)
      return "repeats the lookup-key";
    ks->have_lookup = hex_to_key(hex, ks->lookup) == 0;
    return ks->have_lookup ? NULL : "is malformed";
  }
  return "is malformed";
}

/* Parses a whole key file's text into ks (wiped first).  Returns 0, or -1
 * with the reason in err (naming `path`, never key material). */
static int parse_key_text(const char *text, const char *path, struct keyset *ks, char *err, size_t errlen)
{
  char line[256];
  int lineno = 0, rc = 0;

  keyset_wipe(ks);
  for (const char *p = text; *p && rc == 0;) {
    size_t n = strcspn(p, "\n");
    lineno++;
    if (n >= sizeof line) {
      snprintf(err, errlen, "card key file %s: line %d is too long", path, lineno);
      rc = -1;
      break;
    }
    memcpy(line, p, n);
    line[n] = '\0';
    p += n + (p[n] == '\n');
    if (line[0] == '#' || strspn(line, " \t\r") == n)
      continue;
    const char *problem = parse_key_line(line, ks);
    if (problem) {
      snprintf(err, errlen, "card key file %s: line %d %s", path, lineno, problem);
      rc = -1;
    }
  }
  OPENSSL_cleanse(line, sizeof line);
  if (rc == 0 && (ks->n_data == 0 || !ks->have_lookup)) {
    snprintf(err, errlen, "card key file %s needs a data-key and a lookup-key line", path);
    rc = -1;
  }
  if (rc != 0)
    keyset_wipe(ks);
  return rc;
}

/* Reads the whole key file (private, at most KEY_FILE_MAX bytes) into a
 * malloc'd NUL-terminated buffer; st receives its owner and mode. */
static char *read_key_file(const char *path, struct stat *st, char *err, size_t errlen)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  char *text = NULL;
  ssize_t got = 0, n = 0;

  if (fd < 0) {
    snprintf(err, errlen, "cannot open card key file %s: %s", path, strerror(errno));
    return NULL;
  }
  if (fstat(fd, st) != 0 || (st->st_mode & 077)) {
    snprintf(err, errlen, "card key file %s must not be readable by group or others (chmod 600)", path);
  } else if (st->st_size > KEY_FILE_MAX || !(text = malloc(KEY_FILE_MAX + 1))) {
    snprintf(err, errlen, "card key file %s is too large", path);
  } else {
    while (got <= KEY_FILE_MAX && (n = read(fd, text + got, (size_t)(KEY_FILE_MAX + 1 - got))) > 0)
      got += n;
    if (n < 0 || got > KEY_FILE_MAX) {
      snprintf(err, errlen, "cannot read card key file %s", path);
      OPENSSL_cleanse(text, KEY_FILE_MAX + 1);
      free(text);
      text = NULL;
    } else {
      text[got] = '\0';
    }
  }
  close(fd);
  return text;
}

static void free_text(char *text)
{
  if (text) {
    OPENSSL_cleanse(text, strlen(text));
    free(text);
  }
}

int cardkeys_load(const char *path, char *err, size_t errlen)
{
  struct stat st;
  struct keyset ks;
  char *text = read_key_file(path, &st, err, errlen);
  int rc = text ? parse_key_text(text, path, &ks, err, errlen) : -1;

  free_text(text);
  keyset_wipe(&keys);
  if (rc == 0)
    keys = ks;
  keyset_wipe(&ks);
  return rc;
}

#define KEY_LINE_MAX 96 /* "data-key <id> " + 64 hex digits + "\n" */

/* "<prefix><key in hex>\n" into line (KEY_LINE_MAX bytes); the caller
 * wipes it. */
static void format_key_line(char line[KEY_LINE_MAX], const char *prefix, const unsigned char key[KEY_LEN])
{
  int n = snprintf(line, KEY_LINE_MAX, "%s", prefix);
  for (int i = 0; i < KEY_LEN; i++)
    n += snprintf(line + n, KEY_LINE_MAX - (size_t)n, "%02x", key[i]);
  snprintf(line + n, KEY_LINE_MAX - (size_t)n, "\n");
}

static int write_key_line(FILE *f, const char *prefix, const unsigned char key[KEY_LEN])
{
  char line[KEY_LINE_MAX];

  format_key_line(line, prefix, key);
  int rc = fputs(line, f) == EOF ? -1 : 0;
  OPENSSL_cleanse(line, sizeof line);
  return rc;
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
    if (f)
      fclose(f);
    else
      close(fd);
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

/* Takes an exclusive lock on "<path>.lock" (created 0600 beside the key
 * file, owned like it).  The key file itself is replaced by rename, so a
 * lock on it would guard the old inode only.  Returns the fd or -1. */
static int lock_key_file(const char *path, const struct stat *key_st, char *err, size_t errlen)
{
  char lock_path[4096];

  if (snprintf(lock_path, sizeof lock_path, "%s.lock", path) >= (int)sizeof lock_path) {
    snprintf(err, errlen, "card key file path is too long");
    return -1;
  }
  int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open the lock file %s: %s", lock_path, strerror(errno));
    return -1;
  }
  if (fchown(fd, key_st->st_uid, key_st->st_gid) != 0) {
    /* not root: the lock stays ours, which is harmless */
  }
  if (flock(fd, LOCK_EX) != 0) {
    snprintf(err, errlen, "cannot lock %s: %s", lock_path, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* Writes text to "<path>.tmp" (0600, the key file's owner), fsyncs it,
 * renames it over path and fsyncs the folder, so a crash leaves either the
 * old file or the new one, never half of one. */
static int replace_key_file(const char *path, const char *text, const struct stat *key_st, char *err, size_t errlen)
{
  char tmp[4096], dir[4096];
  size_t len = strlen(text);

  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
    snprintf(err, errlen, "card key file path is too long");
    return -1;
  }
  unlink(tmp); /* a leftover of a crash; we hold the lock */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
    return -1;
  }
  /* the workers read the file as its owner: keep it theirs */
  bool ok = fchown(fd, key_st->st_uid, key_st->st_gid) == 0 && fchmod(fd, 0600) == 0
            && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
  int saved = errno;
  ok = close(fd) == 0 && ok;
  if (ok && rename(tmp, path) != 0) {
    saved = errno;
    ok = false;
  }
  if (!ok) {
    unlink(tmp);
    snprintf(err, errlen, "cannot write card key file %s: %s (the file is unchanged)", path, strerror(saved));
    return -1;
  }
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == dir)
    dir[1] = '\0';
  else
    *slash = '\0';
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return 0;
}

/* The key file's text with one more data-key line (id) appended, with a
 * line break first when the file did not end with one.  malloc'd. */
static char *text_with_new_key(const char *old, int id)
{
  unsigned char k[KEY_LEN];
  char prefix[32], line[KEY_LINE_MAX];
  size_t old_len = strlen(old), cap = old_len + 1 + KEY_LINE_MAX;
  char *text = malloc(cap);

  if (!text || RAND_bytes(k, KEY_LEN) != 1) {
    free(text);
    return NULL;
  }
  snprintf(prefix, sizeof prefix, "data-key %d ", id);
  format_key_line(line, prefix, k);
  snprintf(text, cap, "%s%s%s", old, old_len && old[old_len - 1] != '\n' ? "\n" : "", line);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(line, sizeof line);
  return text;
}

/* Under the lock: reads and checks the file, builds the new text, checks
 * that it parses (so the file is never left unloadable) and replaces the
 * file.  Returns the new id or -1. */
static int add_data_key_locked(const char *path, const struct stat *key_st, char *err, size_t errlen)
{
  struct stat st;
  struct keyset ks;
  char *old = read_key_file(path, &st, err, errlen), *text = NULL;
  int id = -1;

  if (old && parse_key_text(old, path, &ks, err, errlen) == 0) {
    int top = 0;
    for (int i = 0; i < ks.n_data; i++)
      if (ks.data[i].id > top)
        top = ks.data[i].id;
    if (ks.n_data == MAX_DATA_KEYS)
      snprintf(err, errlen, "card key file %s already holds %d data keys, the most it may; nothing was added", path,
               MAX_DATA_KEYS);
    else if (!(text = text_with_new_key(old, top + 1)))
      snprintf(err, errlen, "cannot generate a card key");
    else if (parse_key_text(text, path, &ks, err, errlen) != 0)
      ; /* err says why; the file is untouched */
    else if (replace_key_file(path, text, key_st, err, errlen) == 0)
      id = top + 1;
  }
  keyset_wipe(&ks);
  free_text(old);
  free_text(text);
  return id;
}

int cardkeys_add_data_key(const char *path, char *err, size_t errlen)
{
  struct stat st;

  if (stat(path, &st) != 0) {
    snprintf(err, errlen, "cannot open card key file %s: %s", path, strerror(errno));
    return -1;
  }
  int lock = lock_key_file(path, &st, err, errlen);
  if (lock < 0)
    return -1;
  int id = add_data_key_locked(path, &st, err, errlen);
  if (id > 0 && cardkeys_load(path, err, errlen) != 0)
    id = -1;
  close(lock); /* releases the lock */
  return id;
}

int cardkeys_current_id(void)
{
  return keys.n_data ? keys.data[keys.n_data - 1].id : 0;
}

static const struct data_key *find_key(int id)
{
  for (int i = 0; i < keys.n_data; i++)
    if (keys.data[i].id == id)
      return &keys.data[i];
  return NULL;
}

bool cardkeys_has_key(int key_id)
{
  return find_key(key_id) != NULL;
}

static bool lookup_hex_ok(const char *hex)
{
  if (!hex || strlen(hex) != 2 * 32)
    return false;
  for (const char *p = hex; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return false;
  return true;
}

static void put_be(unsigned char *out, unsigned long long v, int bytes)
{
  for (int i = bytes - 1; i >= 0; i--, v >>= 8)
    out[i] = (unsigned char)(v & 0xff);
}

int card_aad(int version, int key_id, const struct card_binding *b, unsigned char out[CARDCRYPT_AAD_MAX])
{
  if (key_id <= 0)
    return -1;
  if (version == CARD_AAD_V1) /* rows sealed before the binding: the key ID only */
    return snprintf((char *)out, CARDCRYPT_AAD_MAX, "paygw-card-v1:%d", key_id);
  if (version != CARD_AAD_V2 || !b || b->row_id <= 0 || !lookup_hex_ok(b->lookup_hex))
    return -1;
  /* fixed-width fields after a tag that no v1 text starts with ("paygw-card"
   * then the byte 2, where v1 has '-'): one byte string, one meaning */
  memcpy(out, "paygw-card", 10);
  out[10] = CARD_AAD_V2;
  put_be(out + 11, (unsigned long long)key_id, 4);
  put_be(out + 15, (unsigned long long)b->row_id, 8);
  for (int i = 0; i < 32; i++) {
    unsigned v;
    sscanf(b->lookup_hex + 2 * i, "%2x", &v);
    out[23 + i] = (unsigned char)v;
  }
  return CARDCRYPT_AAD_V2_LEN;
}

/* AES-256-GCM seal of len bytes under k with aad: iv || ciphertext || tag
 * into blob, *blob_len set.  Returns 0 or -1. */
static int seal_blob(const struct data_key *k, const unsigned char *aad, int aad_len, const unsigned char *plain,
                     size_t len, unsigned char *blob, size_t *blob_len)
{
  int n, fin, rc = -1;

  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (ctx && RAND_bytes(blob, CARDCRYPT_IV_LEN) == 1
      && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->key, blob) == 1
      && EVP_EncryptUpdate(ctx, NULL, &n, aad, aad_len) == 1
      && EVP_EncryptUpdate(ctx, blob + CARDCRYPT_IV_LEN, &n, plain, (int)len) == 1
      && EVP_EncryptFinal_ex(ctx, blob + CARDCRYPT_IV_LEN + n, &fin) == 1
      && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CARDCRYPT_TAG_LEN, blob + CARDCRYPT_IV_LEN + n + fin) == 1) {
    *blob_len = CARDCRYPT_IV_LEN + (size_t)(n + fin) + CARDCRYPT_TAG_LEN;
    rc = 0;
  }
  EVP_CIPHER_CTX_free(ctx);
  return rc;
}

int card_encrypt_as(int aad_version, const char *pan, const struct card_binding *b, unsigned char *blob,
                    size_t *blob_len, int *key_id)
{
  const struct data_key *k = keys.n_data ? &keys.data[keys.n_data - 1] : NULL;
  size_t pan_len = strlen(pan);
  unsigned char aad[CARDCRYPT_AAD_MAX];
  int aad_len;

  if (!k || pan_len > 32 || (aad_len = card_aad(aad_version, k->id, b, aad)) < 0)
    return -1;
  if (seal_blob(k, aad, aad_len, (const unsigned char *)pan, pan_len, blob, blob_len) != 0)
    return -1;
  *key_id = k->id;
  return 0;
}

int card_encrypt(const char *pan, const struct card_binding *b, unsigned char *blob, size_t *blob_len, int *key_id)
{
  return card_encrypt_as(CARD_AAD_CURRENT, pan, b, blob, blob_len, key_id);
}

/* AES-256-GCM open of blob under k with aad into pan (NUL-terminated). */
static int open_blob(const struct data_key *k, const unsigned char *aad, int aad_len, const unsigned char *blob,
                     size_t blob_len, char *pan, size_t pan_len)
{
  int n, fin, rc = -1;
  int ct_len = (int)(blob_len - CARDCRYPT_IV_LEN - CARDCRYPT_TAG_LEN);

  if ((size_t)ct_len >= pan_len)
    return -1;
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->key, blob) == 1
      && EVP_DecryptUpdate(ctx, NULL, &n, aad, aad_len) == 1
      && EVP_DecryptUpdate(ctx, (unsigned char *)pan, &n, blob + CARDCRYPT_IV_LEN, ct_len) == 1
      && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CARDCRYPT_TAG_LEN,
                             (void *)(blob + blob_len - CARDCRYPT_TAG_LEN))
             == 1
      && EVP_DecryptFinal_ex(ctx, (unsigned char *)pan + n, &fin) == 1) {
    pan[n + fin] = '\0';
    rc = 0;
  }
  EVP_CIPHER_CTX_free(ctx);
  return rc;
}

int card_decrypt(int key_id, int aad_version, const struct card_binding *b, const unsigned char *blob, size_t blob_len,
                 char *pan, size_t pan_len)
{
  const struct data_key *k = find_key(key_id);
  unsigned char aad[CARDCRYPT_AAD_MAX];
  char lookup[CARDCRYPT_LOOKUP_HEX];
  int aad_len = card_aad(aad_version, key_id, b, aad);

  if (!k || aad_len < 0 || !b || !lookup_hex_ok(b->lookup_hex) || pan_len == 0
      || blob_len <= CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN || blob_len > CARDCRYPT_MAX_BLOB)
    return -1;
  /* the number must also be the one the row's lookup hash names: for a v1
   * row (whose AAD names neither row nor hash) the only tie to its row */
  if (open_blob(k, aad, aad_len, blob, blob_len, pan, pan_len) != 0 || card_lookup_hash(pan, lookup) != 0
      || CRYPTO_memcmp(lookup, b->lookup_hex, CARDCRYPT_LOOKUP_HEX - 1) != 0) {
    OPENSSL_cleanse(pan, pan_len);
    return -1;
  }
  return 0;
}

int card_lookup_hash(const char *pan, char out[CARDCRYPT_LOOKUP_HEX])
{
  unsigned char mac[32];
  unsigned int mac_len = 0;

  if (!keys.have_lookup
      || !HMAC(EVP_sha256(), keys.lookup, KEY_LEN, (const unsigned char *)pan, strlen(pan), mac, &mac_len))
    return -1;
  for (unsigned i = 0; i < mac_len; i++)
    snprintf(out + 2 * i, 3, "%02x", mac[i]);
  return 0;
}

int cardkeys_seal(const unsigned char *plain, size_t len, const unsigned char *aad, size_t aad_len, unsigned char *blob,
                  size_t *blob_len, int *key_id)
{
  const struct data_key *k = keys.n_data ? &keys.data[keys.n_data - 1] : NULL;

  if (!k || len == 0 || len > CARDCRYPT_SEAL_MAX || aad_len > CARDCRYPT_AAD_MAX)
    return -1;
  if (seal_blob(k, aad, (int)aad_len, plain, len, blob, blob_len) != 0)
    return -1;
  *key_id = k->id;
  return 0;
}

int cardkeys_open(int key_id, const unsigned char *aad, size_t aad_len, const unsigned char *blob, size_t blob_len,
                  unsigned char *plain, size_t cap, size_t *plain_len)
{
  const struct data_key *k = find_key(key_id);

  if (!k || aad_len > CARDCRYPT_AAD_MAX || blob_len <= CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN
      || blob_len > CARDCRYPT_SEAL_MAX + CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN)
    return -1;
  /* open_blob ends its output with a NUL: one byte more than the secret */
  if (open_blob(k, aad, (int)aad_len, blob, blob_len, (char *)plain, cap) != 0) {
    OPENSSL_cleanse(plain, cap);
    return -1;
  }
  *plain_len = blob_len - CARDCRYPT_IV_LEN - CARDCRYPT_TAG_LEN;
  return 0;
}
