/* card-seal.c — a test tool for card rows sealed by lib/common/cardcrypt.
 * The key file is PAYGW_CARD_KEY_FILE (give the issuer's file for the
 * credit server's rows).  Never prints a card number.
 *
 *   card-seal [--format N] [--row ID] < number
 *       seals the number under the current data key with AAD format N
 *       (1: as rows were sealed before migration 0011; 2, the default:
 *       bound to row ID and the number's lookup hash) and prints
 *       "<key id> <ciphertext hex>" (admin_reencrypt_old_rows.t)
 *   card-seal --open --format N --row ID --lookup HEX --key K --blob HEX
 *       decrypts a stored ciphertext as the gateway would for that row and
 *       prints its mask, exit 0; exit 1 when it does not decrypt there
 *       (credit_account_bound.t) */
#include "common/cardcrypt.h"
#include "common/pan.h"

#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct args {
  bool open;
  int format, key_id;
  long long row;
  const char *lookup, *blob;
};

static void parse(int argc, char **argv, struct args *a)
{
  for (int i = 1; i < argc; i++) {
    const char *v = i + 1 < argc ? argv[i + 1] : "";
    if (strcmp(argv[i], "--open") == 0) {
      a->open = true;
      continue;
    }
    if (strcmp(argv[i], "--format") == 0)
      a->format = atoi(v);
    else if (strcmp(argv[i], "--row") == 0)
      a->row = atoll(v);
    else if (strcmp(argv[i], "--lookup") == 0)
      a->lookup = v;
    else if (strcmp(argv[i], "--key") == 0)
      a->key_id = atoi(v);
    else if (strcmp(argv[i], "--blob") == 0)
      a->blob = v;
    i++;
  }
}

static int seal(const struct args *a)
{
  char pan[64] = "", lookup[CARDCRYPT_LOOKUP_HEX];
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  size_t len = 0;
  int key_id = 0;

  if (!fgets(pan, sizeof pan, stdin))
    return 2;
  pan[strcspn(pan, "\r\n")] = '\0';
  struct card_binding bind = { .row_id = a->row, .lookup_hex = lookup };
  int rc = !pan_is_valid(pan) || card_lookup_hash(pan, lookup) != 0
           || card_encrypt_as(a->format, pan, &bind, blob, &len, &key_id) != 0;
  OPENSSL_cleanse(pan, sizeof pan);
  if (rc) {
    fprintf(stderr, "card-seal: cannot seal that card number with format %d (row %lld)\n", a->format, a->row);
    return 1;
  }
  printf("%d ", key_id);
  for (size_t i = 0; i < len; i++)
    printf("%02x", blob[i]);
  printf("\n");
  return 0;
}

static int open_blob(const struct args *a)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  char pan[PAN_MAX_LEN + 8], masked[PAN_MAX_LEN + 1];
  size_t len = 0;
  struct card_binding bind = { .row_id = a->row, .lookup_hex = a->lookup };

  if (!a->blob || !a->lookup || OPENSSL_hexstr2buf_ex(blob, sizeof blob, &len, a->blob, '\0') != 1)
    return 2;
  if (card_decrypt(a->key_id, a->format, &bind, blob, len, pan, sizeof pan) != 0) {
    printf("refused\n");
    return 1;
  }
  pan_mask(pan, masked, sizeof masked);
  OPENSSL_cleanse(pan, sizeof pan);
  printf("%s\n", masked);
  return 0;
}

int main(int argc, char **argv)
{
  const char *keys = getenv("PAYGW_CARD_KEY_FILE");
  struct args a = { .format = CARD_AAD_CURRENT };
  char err[300];

  parse(argc, argv, &a);
  if (!keys || cardkeys_load(keys, err, sizeof err) != 0) {
    fprintf(stderr, "card-seal: %s\n", keys ? err : "set PAYGW_CARD_KEY_FILE");
    return 2;
  }
  return a.open ? open_blob(&a) : seal(&a);
}
