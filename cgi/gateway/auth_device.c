/* auth_device.c — a handset polling its mailbox proves it holds the device
 * key: X-Paygw-Device, X-Paygw-Timestamp (ms) and X-Paygw-Signature, an
 * Ed25519 signature over "mailbox:<device>:<timestamp>".  The timestamp must
 * be near the gateway's clock and newer than the device's last accepted one
 * (checked when the poll is recorded, see ep_mailbox_get.c), so a captured
 * request cannot be replayed. */
#include "gateway/auth.h"
#include "gateway/db/queries.h"
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
  unsigned char decoded[ED25519_SIG_LEN + 2];    /* room to see a longer one */

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
  char signed_text[128], window[16];
  int64_t ts;
  PGresult *res;

  if (!device || !stamp || !sig_text)
    return REFUSE(rq, "X-Paygw-Device, X-Paygw-Timestamp and X-Paygw-Signature are required");
  if (device_headers_parse(device, stamp, sig_text, &ts, sig) != 0)
    return REFUSE(rq, "the device signature headers are malformed");
  if (llabs(now_ms() - ts) > settings.clock_skew_s * 1000)
    return REFUSE(rq, "X-Paygw-Timestamp is too far from the gateway's clock");
  snprintf(window, sizeof window, "%.1f", (double)settings.poll_interval_s / 2.0);
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, device);
  db_param_text(&params, window);
  enum db_status st = db_call(rq->db, &q_device_by_code, &params, &res);
  if (st < 0) {
    reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
    return -1;
  }
  bool known = st == DB_ONE_ROW && hex_to_key(db_text(res, 0, "public_key"), key) == 0;
  snprintf(signed_text, sizeof signed_text, "mailbox:%s:%s", device, stamp);
  if (!known || !ed25519_verify(key, signed_text, strlen(signed_text), sig)) {
    PQclear(res);
    return REFUSE(rq, "the device or its signature is not recognised");
  }
  if (ts <= strtoll(db_text(res, 0, "last_poll_ms"), NULL, 10)) {
    PQclear(res);
    return REFUSE(rq, "this signed poll was already used (X-Paygw-Timestamp not newer than the last)");
  }
  rq->device.device_id = strtoll(db_text(res, 0, "id"), NULL, 10);
  snprintf(rq->device.device_code, sizeof rq->device.device_code, "%s", device);
  rq->device.timestamp_ms = ts;
  rq->device.too_soon = strcmp(db_text(res, 0, "too_soon"), "t") == 0;
  PQclear(res);
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
