/* iso-send — a test tool: sends one ISO 8583 message (fields from the command
 * line) to a credit server over the link's mutual TLS and prints the answer
 * as "mti=..." and "NN=value" lines.  Field 2 is never printed in clear
 * (masked first 6 / last 4).
 *
 *   iso-send [TLS] --addr HOST:PORT [--timeout MS] MTI N=VALUE ...
 *   iso-send [TLS] --addr HOST:PORT --hex HEX          one frame with these bytes as its body
 *   iso-send [TLS] --addr HOST:PORT --raw HEX [--hold MS]   these bytes as they are (no header)
 *   iso-send --encode MTI N=VALUE ...                   prints the body as hex, sends nothing
 *
 *   --original MTI,STAN,TIME sets field 90 of a reversal from the original's
 *   MTI, STAN and transmission time (iso_original_encode).
 *
 *   TLS: --cert FILE --key FILE (its client certificate; default
 *   PAYGW_CREDIT_CLIENT_CERT / _KEY), --no-cert (offer none, to see the
 *   refusal), --ca FILE (the credit server's CA; PAYGW_CREDIT_CA),
 *   --server-name NAME (its certificate's name; PAYGW_CREDIT_SERVER_NAME,
 *   else the host of --addr).
 *
 * Fixed numeric fields shorter than their length (lib/iso8583/fields.c)
 * are zero-padded on the left, fixed text fields space-padded on the right
 * (iso_set_padded).  Prints
 * "connect-failed" (no TCP connection), "refused" (the TLS handshake failed,
 * at either end), "closed" or "timeout" instead of an answer.  Exit status:
 * 0 an answer, 3 no connection, refused or closed, 4 no answer in time, 2
 * bad usage. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/pan.h"
#include "iso8583/frame.h"
#include "iso8583/iso8583.h"
#include "iso8583/tls.h"

static int hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
  size_t n = strlen(hex);

  if (n % 2 || n / 2 > cap)
    return -1;
  for (size_t i = 0; i < n / 2; i++) {
    unsigned v;
    if (sscanf(hex + 2 * i, "%2x", &v) != 1)
      return -1;
    out[i] = (uint8_t)v;
  }
  *len = n / 2;
  return 0;
}

static int build(int argc, char **argv, const char *original, uint8_t *out, size_t cap, size_t *len)
{
  struct iso_msg m;
  char f90[64] = "";

  if (argc < 1 || strlen(argv[0]) != 4) {
    fprintf(stderr, "iso-send: give the MTI first\n");
    return -1;
  }
  iso_msg_init(&m, argv[0]);
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq) {
      fprintf(stderr, "iso-send: expected N=VALUE, got '%s'\n", i == 1 ? argv[i] : "...");
      return -1;
    }
    int field = atoi(argv[i]);
    int rc = iso_set_padded(&m, field, eq + 1); /* padded to fields.c's length */
    if (rc != ISO_OK) {
      fprintf(stderr, "iso-send: field %d refused: %s\n", field, iso_strerror(rc));
      return -1;
    }
  }
  if (original) {
    char mti[8] = "", stan[16] = "", t[16] = "";
    if (sscanf(original, "%7[^,],%15[^,],%15s", mti, stan, t) != 3
        || iso_original_encode(mti, stan, t, f90, sizeof f90) != ISO_OK
        || iso_set(&m, ISO_F_ORIGINAL_DATA, f90) != ISO_OK) {
      fprintf(stderr, "iso-send: --original wants MTI,STAN,TIME at their fields' lengths\n");
      return -1;
    }
  }
  int rc = iso_pack(&m, out, cap, len);
  if (rc != ISO_OK) {
    fprintf(stderr, "iso-send: cannot encode: %s\n", iso_strerror(rc));
    return -1;
  }
  return 0;
}

static void print_answer(const uint8_t *buf, size_t len)
{
  struct iso_msg a;
  int rc = iso_unpack(&a, buf, len);

  if (rc != ISO_OK) {
    printf("undecodable=%s\n", iso_strerror(rc));
    return;
  }
  printf("mti=%s\n", a.mti);
  for (int f = 2; f <= ISO8583_MAX_FIELD; f++) {
    const char *v = iso_get(&a, f);
    if (!v)
      continue;
    if (f == ISO_F_PAN) {
      char masked[PAN_MAX_LEN + 1];
      pan_mask(v, masked, sizeof masked);
      printf("%02d=%s\n", f, masked);
    } else {
      printf("%02d=%s\n", f, v);
    }
  }
}

int main(int argc, char **argv)
{
  static const struct option opts[] = {
    { "addr", required_argument, 0, 'a' },
    { "timeout", required_argument, 0, 't' },
    { "hex", required_argument, 0, 'x' },
    { "raw", required_argument, 0, 'r' },
    { "hold", required_argument, 0, 'o' },
    { "cert", required_argument, 0, 'c' },
    { "key", required_argument, 0, 'k' },
    { "ca", required_argument, 0, 'C' },
    { "server-name", required_argument, 0, 'n' },
    { "no-cert", no_argument, 0, 'N' },
    { "encode", no_argument, 0, 'e' },
    { "original", required_argument, 0, 'O' },
    { 0 },
  };
  const char *addr = getenv("PAYGW_CREDIT_ADDR"), *hex = NULL, *raw = NULL, *original = NULL;
  const char *cert = config_str("PAYGW_CREDIT_CLIENT_CERT", NULL), *key = config_str("PAYGW_CREDIT_CLIENT_KEY", NULL);
  const char *ca = config_str("PAYGW_CREDIT_CA", NULL), *server_name = config_str("PAYGW_CREDIT_SERVER_NAME", NULL);
  bool no_cert = false, encode = false;
  int timeout = 5000, hold = 0, c;
  uint8_t msg[ISO8583_MAX_MESSAGE + 2], buf[ISO8583_MAX_MESSAGE];
  size_t len = 0, got = 0;

  while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
    switch (c) {
    case 'a':
      addr = optarg;
      break;
    case 't':
      timeout = atoi(optarg);
      break;
    case 'x':
      hex = optarg;
      break;
    case 'r':
      raw = optarg;
      break;
    case 'o':
      hold = atoi(optarg);
      break;
    case 'c':
      cert = optarg;
      break;
    case 'k':
      key = optarg;
      break;
    case 'C':
      ca = optarg;
      break;
    case 'n':
      server_name = optarg;
      break;
    case 'N':
      no_cert = true;
      break;
    case 'e':
      encode = true;
      break;
    case 'O':
      original = optarg;
      break;
    default:
      return 2;
    }
  }
  if (!addr && !encode) {
    fprintf(stderr, "iso-send: --addr HOST:PORT (or PAYGW_CREDIT_ADDR)\n");
    return 2;
  }
  int rc = raw   ? hex_decode(raw, msg, sizeof msg, &len)
           : hex ? hex_decode(hex, msg, sizeof msg, &len)
                 : build(argc - optind, argv + optind, original, msg, sizeof msg, &len);
  if (rc != 0)
    return 2;
  if (encode) { /* for a test that sends the bytes its own way */
    for (size_t i = 0; i < len; i++)
      printf("%02x", msg[i]);
    printf("\n");
    return 0;
  }
  char why[200];
  SSL_CTX *ctx = iso_tls_client_ctx(ca, no_cert ? NULL : cert, no_cert ? NULL : key, why, sizeof why);
  if (!ctx) {
    fprintf(stderr, "iso-send: TLS: %s (--ca, --cert, --key or PAYGW_CREDIT_CA, _CLIENT_CERT, _CLIENT_KEY)\n", why);
    return 2;
  }
  enum iso_link_fail fail;
  struct iso_link *link = iso_link_connect(ctx, addr, server_name, timeout, &fail, why, sizeof why);
  if (!link) {
    printf("%s\n", fail == ISO_LINK_NO_CONNECTION ? "connect-failed" : "refused");
    fprintf(stderr, "iso-send: %s\n", why);
    SSL_CTX_free(ctx);
    return 3;
  }
  if (raw) {
    rc = iso_link_send_raw(link, msg, len, timeout);
    if (rc == ISO_FRAME_OK && hold > 0)
      usleep((useconds_t)hold * 1000u);
  } else {
    rc = iso_link_send(link, msg, len, timeout);
  }
  if (rc == ISO_FRAME_OK)
    rc = iso_link_recv(link, buf, sizeof buf, &got, timeout);
  else
    rc = ISO_FRAME_CLOSED; /* the peer refused the link before the frame went out */
  if (rc == ISO_FRAME_CLOSED && *iso_link_error(link))
    fprintf(stderr, "iso-send: %s\n", iso_link_error(link));
  iso_link_close(link);
  SSL_CTX_free(ctx);
  if (rc == ISO_FRAME_TIMEOUT) {
    printf("timeout\n");
    return 4;
  }
  if (rc != ISO_FRAME_OK) {
    printf("closed\n");
    return 3;
  }
  print_answer(buf, got);
  return 0;
}
