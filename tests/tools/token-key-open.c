/* token-key-open — a test tool: opens a token key that the credit server
 * sealed in issuer.token_keys under the issuer's data key file
 * (PAYGW_CARD_KEY_FILE: give the issuer's file) and prints it as
 * tokencrypt's key text, so that a test can search dumps and logs for the
 * key in every form it could leak in (tests/api/token_no_clear.t).
 *
 *   token-key-open KEY_ID DATA_KEY_ID SEALED_HEX [MERCHANT AMOUNT CURRENCY EXPIRY ECN]
 *
 * With the sale's binding and encrypted card number, it also opens that
 * number with the key and prints the card's last four digits on a second
 * line (so the test knows the key it searches for is the sale's).  Exit
 * status 0, 1 when the key or the number does not open, 2 on bad usage. */
#include "common/cardcrypt.h"
#include "common/tokencrypt.h"
#include "credit-server/credit.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* argv[1] the key ID, argv[4..8] merchant, amount, currency, expiry, ECN */
static int print_last4(const unsigned char key[TOKEN_KEY_LEN], char **argv)
{
  struct token_binding b = { argv[1], argv[4], atoll(argv[5]), argv[6], argv[7] };
  char pan[TOKEN_PAN_MAX + 1];
  if (token_decrypt(key, &b, argv[8], pan, sizeof pan) != 0) {
    puts("refused");
    return 1;
  }
  printf("%s\n", pan + strlen(pan) - 4);
  OPENSSL_cleanse(pan, sizeof pan);
  return 0;
}

int main(int argc, char **argv)
{
  const char *keys = getenv("PAYGW_CARD_KEY_FILE");
  unsigned char sealed[CARDCRYPT_SEAL_MAX + CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN], aad[CREDIT_TOKEN_KEY_AAD_MAX];
  unsigned char key[TOKEN_KEY_LEN + 1];
  char err[300], text[TOKEN_KEY_TEXT + 1];
  size_t sealed_len = 0, key_len = 0;

  if (argc != 4 && argc != 9) {
    fputs("usage: token-key-open KEY_ID DATA_KEY_ID SEALED_HEX [MERCHANT AMOUNT CURRENCY EXPIRY ECN]\n"
          "       (PAYGW_CARD_KEY_FILE: the issuer's key file)\n",
          stderr);
    return 2;
  }
  if (!keys || cardkeys_load(keys, err, sizeof err) != 0) {
    fprintf(stderr, "token-key-open: %s\n", keys ? err : "set PAYGW_CARD_KEY_FILE");
    return 2;
  }
  int aad_len = credit_token_key_aad(argv[1], aad);
  if (aad_len < 0 || OPENSSL_hexstr2buf_ex(sealed, sizeof sealed, &sealed_len, argv[3], '\0') != 1)
    return 2;
  if (cardkeys_open(atoi(argv[2]), aad, (size_t)aad_len, sealed, sealed_len, key, sizeof key, &key_len) != 0
      || key_len != TOKEN_KEY_LEN) {
    puts("refused");
    return 1;
  }
  token_key_to_text(key, text);
  puts(text);
  int rc = argc == 9 ? print_last4(key, argv) : 0;
  OPENSSL_cleanse(key, sizeof key);
  return rc;
}
