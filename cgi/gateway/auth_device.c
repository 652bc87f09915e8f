/* auth_device.c — a handset polling its mailbox proves it holds the device
 * key: X-Paygw-Device, X-Paygw-Timestamp (ms) and X-Paygw-Signature, an
 * Ed25519 signature over "mailbox:<device>:<timestamp>".  The timestamp must
 * be near the gateway's clock and newer than the device's last accepted one
 * (checked when the poll is recorded, see ep_mailbox_get.c), so a captured
 * request cannot be replayed.  The device's key comes from the worker's
 * cache (cache_device_key), so a poll costs one round trip. */
#include "gateway/auth.h"
#include "gateway/cache.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/tokens.h"
#include "common/b64url.h"
#include "common/ed25519.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 401 with the challenge RFC 9110 wants; logged with the caller's line. */
#define REFUSE(rq, detail) refuse_at((rq), __FILE__, __LINE__, (detail))

static int refuse_at(struct request *rq, const char *file, int line, const char *detail)
{
  reply_add_header(rq, "WWW-Authenticate: Signature realm=\"paygw\"");
  reply_fault(rq, file, line, false, PROBLEM_UNAUTHENTICATED, NULL, "%s", detail);
  return -1;
}

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hex_to_key(const char *hex, unsigned char key[32])
{
  size_t len = 0;
  return (strlen(hex) == 64 && OPENSSL_hexstr2buf_ex(key, 32, &len, hex, '\0') == 1 && len == 32) ? 0 : -1;
}

int device_headers_parse(const char *device, const char *stamp, const char *sig_text, int64_t *ts,
                         unsigned char sig[ED25519_SIG_LEN])
{
  unsigned char decoded[ED25519_SIG_LEN + 2]; /* room to see a longer one */

  if (!token_is_code(device, 32) || strlen(stamp) > 15 || strspn(stamp, "0123456789") != strlen(stamp) || !*stamp
      || b64url_decode(sig_text, decoded, sizeof decoded) != ED25519_SIG_LEN)
    return -1;
  memcpy(sig, decoded, ED25519_SIG_LEN);
  *ts = strtoll(stamp, NULL, 10);
  return 0;
}

int auth_device(struct request *rq)
{
  const char *device = request_header(rq, "HTTP_X_PAYGW_DEVICE");
  const char *stamp = request_header(rq, "HTTP_X_PAYGW_TIMESTAMP");
  const char *sig_text = request_header(rq, "HTTP_X_PAYGW_SIGNATURE");
  unsigned char sig[ED25519_SIG_LEN], key[32];
  char signed_text[128];
  int64_t ts, id;

  if (!device || !stamp || !sig_text)
    return REFUSE(rq, "X-Paygw-Device, X-Paygw-Timestamp and X-Paygw-Signature are required");
  if (device_headers_parse(device, stamp, sig_text, &ts, sig) != 0)
    return REFUSE(rq, "the device signature headers are malformed");
  if (llabs(now_ms() - ts) > settings.clock_skew_s * 1000)
    return REFUSE(rq, "X-Paygw-Timestamp is too far from the gateway's clock");
  enum db_status st = cache_device_key(rq->db, device, &id, key);
  if (st < 0) {
    reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
    return -1;
  }
  snprintf(signed_text, sizeof signed_text, "mailbox:%s:%s", device, stamp);
  if (st != DB_ONE_ROW || !ed25519_verify(key, signed_text, strlen(signed_text), sig))
    return REFUSE(rq, "the device or its signature is not recognised");
  rq->device.device_id = id;
  snprintf(rq->device.device_code, sizeof rq->device.device_code, "%s", device);
  rq->device.timestamp_ms = ts;
  return 0;
}

/* Handsets that passed device authentication hold a session token for that
 * one transaction; its SHA-256 is kept on the transaction row. */
int auth_session(struct request *rq)
{
  const char *header = request_header(rq, "HTTP_AUTHORIZATION");

  if (!header || strncmp(header, "Bearer ", 7) != 0 || strlen(header + 7) != 43 || !token_is_code(header + 7, 43)) {
    reply_add_header(rq, "WWW-Authenticate: Bearer realm=\"paygw\"");
    CLIENT_FAULT(rq, PROBLEM_UNAUTHENTICATED, "the session from device-auth is required (Authorization: Bearer ...)");
    return -1;
  }
  token_sha256_hex(header + 7, rq->session_hash);
  return 0;
}
