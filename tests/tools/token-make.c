/* token-make — a test tool: makes what the gateway makes for a token
 * request (lib/common/tokencrypt), so the credit server's tests can send a
 * 0600 and a token 0100 without the gateway:
 *
 *   token-make --merchant CODE --amount MINOR [--currency 392]
 *              [--expiry YYYYMMDDhhmmss | --ttl SECONDS (900)] [--key-id ID]
 *
 * --key-id reuses a key ID, with the key from the environment
 * (PAYGW_TOKEN_KEY, tokencrypt's text), to make another number under a
 * delivered key (a test's conflicting 0600); without it a fresh key is made.
 *
 * reads the card number from standard input (never the command line, which
 * any local user can read in /proc) and prints four lines:
 *   key_id=...   key=...   ecn=...   expiry=...
 * Exit status 0, 2 on bad usage or input. */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/tokencrypt.h"

static int usage(void)
{
  fputs("usage: token-make --merchant CODE --amount MINOR [--currency 392] [--expiry YYYYMMDDhhmmss | --ttl S]\n"
        "                  [--key-id ID (key from PAYGW_TOKEN_KEY)]\n"
        "       (the card number on standard input)\n",
        stderr);
  return 2;
}

int main(int argc, char **argv)
{
  static const struct option opts[] = {
    { "merchant", required_argument, NULL, 'm' },
    { "amount", required_argument, NULL, 'a' },
    { "currency", required_argument, NULL, 'c' },
    { "expiry", required_argument, NULL, 'e' },
    { "ttl", required_argument, NULL, 't' },
    { "key-id", required_argument, NULL, 'k' },
    { NULL, 0, NULL, 0 },
  };
  const char *merchant = NULL, *currency = "392", *expiry_arg = NULL, *reuse_id = NULL;
  long long amount = 0;
  long ttl = 900;
  int c;

  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 'm':
      merchant = optarg;
      break;
    case 'a':
      amount = atoll(optarg);
      break;
    case 'c':
      currency = optarg;
      break;
    case 'e':
      expiry_arg = optarg;
      break;
    case 't':
      ttl = atol(optarg);
      break;
    case 'k':
      reuse_id = optarg;
      break;
    default:
      return usage();
    }
  }
  if (!merchant || amount <= 0 || optind != argc)
    return usage();
  char expiry[TOKEN_EXPIRY_TEXT + 1];
  if (expiry_arg) {
    snprintf(expiry, sizeof expiry, "%s", expiry_arg);
  } else {
    time_t at = time(NULL) + ttl;
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(expiry, sizeof expiry, "%Y%m%d%H%M%S", &tm);
  }
  char pan[64] = "";
  if (!fgets(pan, sizeof pan, stdin))
    return usage();
  pan[strcspn(pan, "\r\n")] = '\0';

  unsigned char key[TOKEN_KEY_LEN];
  char key_id[TOKEN_KEY_ID_TEXT + 1], key_text[TOKEN_KEY_TEXT + 1], ecn[TOKEN_NUMBER_TEXT_MAX + 1];
  struct token_binding b = {
    .key_id = key_id, .merchant_code = merchant, .amount = amount, .currency = currency, .expiry = expiry
  };
  int rc = 2;
  int made;
  if (reuse_id) {
    const char *text = getenv("PAYGW_TOKEN_KEY");
    snprintf(key_id, sizeof key_id, "%s", reuse_id);
    made = token_key_id_valid(key_id) && text && token_key_from_text(text, key) == 0 ? 0 : -1;
  } else {
    made = token_new_key(key, key_id);
  }
  if (made == 0 && token_encrypt(key, &b, pan, ecn, sizeof ecn) == 0) {
    token_key_to_text(key, key_text);
    printf("key_id=%s\nkey=%s\necn=%s\nexpiry=%s\n", key_id, key_text, ecn, expiry);
    rc = 0;
  } else {
    fputs("token-make: cannot make a token (card number, merchant, amount, currency or expiry refused)\n", stderr);
  }
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(key_text, sizeof key_text);
  OPENSSL_cleanse(pan, sizeof pan);
  return rc;
}
