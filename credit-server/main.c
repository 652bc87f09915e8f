/* main.c — credit-server: the reference issuer host (credit server 13).
 * Serves ISO 8583 under mutual TLS (docs/credit-server.md, docs/iso8583.md),
 * or runs one enrolment mode and exits.  Configuration is the environment:
 * PAYGW_ISSUER_DB_URI, PAYGW_ISSUER_CARD_KEY_FILE, PAYGW_ISSUER_DB_POOL, and
 * for the link PAYGW_CREDIT_SERVER_CERT, _SERVER_KEY, _CLIENT_CA, _ACQUIRERS
 * (server.c). */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"
#include "credit-server/controls.h"
#include "credit-server/issuer.h"
#include "credit-server/metrics.h"
#include "credit-server/enrol.h"
#include "credit-server/server.h"

enum mode { MODE_SERVE, MODE_ENROL_DEMO, MODE_ENROL_ACCOUNT, MODE_ENROL_MERCHANT };

static void usage(FILE *to)
{
  fputs("usage: credit-server [--listen HOST:PORT] [--test-controls FILE]\n"
        "       credit-server --enrol-demo\n"
        "       credit-server --enrol-account --expiry YYMM --limit MINOR --holder NAME --address TEXT\n"
        "                     [--currency 392]   (the card number is read from standard input)\n"
        "       credit-server --enrol-merchant --merchant CODE --name NAME [--credit-code CODE]\n"
        "                     [--issuer CODE --methods 'L I R' [--installments '3 6']] [--status active|disabled]\n"
        "environment: PAYGW_ISSUER_DB_URI, PAYGW_ISSUER_CARD_KEY_FILE, PAYGW_ISSUER_DB_POOL (8);\n"
        "  serving: PAYGW_CREDIT_SERVER_CERT, PAYGW_CREDIT_SERVER_KEY, PAYGW_CREDIT_CLIENT_CA,\n"
        "  PAYGW_CREDIT_ACQUIRERS (paygw-gateway), PAYGW_CREDIT_HANDSHAKE_TIMEOUT_MS (5000),\n"
        "  PAYGW_CREDIT_METRICS_ADDR (HOST:PORT of GET /metrics; none when unset)\n",
        to);
}

/* Reads one line (the card number) from stdin into pan. */
static int read_pan(char *pan, size_t cap)
{
  if (!fgets(pan, (int)cap, stdin))
    return -1;
  pan[strcspn(pan, "\r\n")] = '\0';
  return 0;
}

static int serve(const char *uri, const char *listen, const char *controls)
{
  int pool = (int)config_long("PAYGW_ISSUER_DB_POOL", 8, 1, 64);

  if (controls) {
    controls_enable(controls);
    log_event(LOG_WARN, json_pack("{s:s, s:s}", "msg", "TEST CONTROLS ENABLED: answers may be delayed or dropped",
                                  "file", controls));
  }
  if (issuer_pool_open(uri, pool) != 0)
    return 1;
  credit_metrics_start(); /* PAYGW_CREDIT_METRICS_ADDR; without it, none */
  int rc = server_run(listen);
  credit_metrics_stop();
  issuer_pool_close();
  return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
  static const struct option opts[] = {
    { "listen", required_argument, 0, 'l' },
    { "test-controls", required_argument, 0, 't' },
    { "enrol-demo", no_argument, 0, 'D' },
    { "enrol-account", no_argument, 0, 'A' },
    { "enrol-merchant", no_argument, 0, 'M' },
    { "expiry", required_argument, 0, 'e' },
    { "limit", required_argument, 0, 'L' },
    { "holder", required_argument, 0, 'H' },
    { "address", required_argument, 0, 'a' },
    { "currency", required_argument, 0, 'c' },
    { "merchant", required_argument, 0, 'm' },
    { "name", required_argument, 0, 'n' },
    { "credit-code", required_argument, 0, 'C' },
    { "issuer", required_argument, 0, 'i' },
    { "methods", required_argument, 0, 'p' },
    { "installments", required_argument, 0, 'I' },
    { "status", required_argument, 0, 's' },
    { "help", no_argument, 0, 'h' },
    { 0 },
  };
  enum mode mode = MODE_SERVE;
  const char *listen = "127.0.0.1:8583", *controls = NULL;
  struct enrol_account acct = { .currency = "392" };
  struct enrol_merchant merch = { .status = "active" };
  int c;

  log_init("credit-server");
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'l':
      listen = optarg;
      break;
    case 't':
      controls = optarg;
      break;
    case 'D':
      mode = MODE_ENROL_DEMO;
      break;
    case 'A':
      mode = MODE_ENROL_ACCOUNT;
      break;
    case 'M':
      mode = MODE_ENROL_MERCHANT;
      break;
    case 'e':
      acct.expiry = optarg;
      break;
    case 'L':
      acct.credit_limit = strtoll(optarg, NULL, 10);
      break;
    case 'H':
      acct.holder = optarg;
      break;
    case 'a':
      acct.address = optarg;
      break;
    case 'c':
      acct.currency = optarg;
      break;
    case 'm':
      merch.merchant_code = optarg;
      break;
    case 'n':
      merch.name = optarg;
      break;
    case 'C':
      merch.credit_code = optarg;
      break;
    case 'i':
      merch.issuer_code = optarg;
      break;
    case 'p':
      merch.methods = optarg;
      break;
    case 'I':
      merch.installments = optarg;
      break;
    case 's':
      merch.status = optarg;
      break;
    case 'h':
      usage(stdout);
      return 0;
    default:
      usage(stderr);
      return 2;
    }
  }
  if (optind != argc) {
    usage(stderr);
    return 2;
  }
  const char *uri = config_str("PAYGW_ISSUER_DB_URI", NULL);
  const char *keys = config_str("PAYGW_ISSUER_CARD_KEY_FILE", NULL);
  char err[256];
  if (!uri || !keys) {
    fprintf(stderr, "credit-server: set PAYGW_ISSUER_DB_URI and PAYGW_ISSUER_CARD_KEY_FILE (source var/stack.env)\n");
    return 2;
  }
  if (cardkeys_load(keys, err, sizeof err) != 0) {
    fprintf(stderr, "credit-server: card keys: %s\n", err);
    return 1;
  }
  switch (mode) {
  case MODE_SERVE:
    return serve(uri, listen, controls);
  case MODE_ENROL_DEMO:
    return enrol_demo(uri) == 0 ? 0 : 1;
  case MODE_ENROL_ACCOUNT: {
    char pan[64];
    if (!acct.expiry || !acct.holder || !acct.address || acct.credit_limit <= 0 || read_pan(pan, sizeof pan) != 0) {
      fprintf(stderr, "credit-server: --enrol-account needs --expiry, --limit > 0, --holder, --address and the card "
                      "number on stdin\n");
      return 2;
    }
    acct.pan = pan;
    int rc = enrol_account_run(uri, &acct);
    OPENSSL_cleanse(pan, sizeof pan);
    if (rc != 0)
      fprintf(stderr, "credit-server: the account was not enrolled (see the log line above)\n");
    return rc == 0 ? 0 : 1;
  }
  case MODE_ENROL_MERCHANT:
    if (!merch.merchant_code || !merch.name) {
      fprintf(stderr, "credit-server: --enrol-merchant needs --merchant and --name\n");
      return 2;
    }
    if (!merch.credit_code)
      merch.credit_code = merch.merchant_code;
    return enrol_merchant_run(uri, &merch) == 0 ? 0 : 1;
  }
  return 2;
}
