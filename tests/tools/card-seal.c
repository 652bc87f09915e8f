/* card-seal.c — a test tool: seals the card number read from standard input
 * under the current data key of PAYGW_CARD_KEY_FILE, with AAD format
 * --format (1: as rows were sealed before migration 0011; 2: bound to --row
 * and the number's lookup hash), and prints "<key id> <ciphertext hex>".
 * Used by admin_reencrypt_old_rows.t to make gateway.cards rows as they were
 * before the binding.  Never prints the number. */
#include "common/cardcrypt.h"
#include "common/pan.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
  const char *keys = getenv("PAYGW_CARD_KEY_FILE");
  int format = CARD_AAD_CURRENT;
  long long row = 0;
  char pan[64] = "", lookup[CARDCRYPT_LOOKUP_HEX], err[300];
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  size_t len = 0;
  int key_id = 0;

  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--format") == 0)
      format = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--row") == 0)
      row = atoll(argv[i + 1]);
  }
  if (!keys || cardkeys_load(keys, err, sizeof err) != 0) {
    fprintf(stderr, "card-seal: %s\n", keys ? err : "set PAYGW_CARD_KEY_FILE");
    return 2;
  }
  if (!fgets(pan, sizeof pan, stdin))
    return 2;
  pan[strcspn(pan, "\r\n")] = '\0';
  struct card_binding bind = { .row_id = row, .lookup_hex = lookup };
  int rc = !pan_is_valid(pan) || card_lookup_hash(pan, lookup) != 0
           || card_encrypt_as(format, pan, &bind, blob, &len, &key_id) != 0;
  OPENSSL_cleanse(pan, sizeof pan);
  if (rc) {
    fprintf(stderr, "card-seal: cannot seal that card number with format %d (row %lld)\n", format, row);
    return 1;
  }
  printf("%d ", key_id);
  for (size_t i = 0; i < len; i++)
    printf("%02x", blob[i]);
  printf("\n");
  return 0;
}
