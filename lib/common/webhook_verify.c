/* webhook_verify.c — see webhook_verify.h.  The checks run in the order of
 * the Standard Webhooks reference libraries: the headers are there, the
 * timestamp is within the tolerance, then one v1 signature matches.  The
 * HMAC is webhook_sign's (one implementation for both sides). */
#include "common/webhook_verify.h"

#include "common/webhook_sig.h"

#include <openssl/crypto.h>
#include <stdbool.h>
#include <string.h>

#define TIMESTAMP_DIGITS_MAX 15 /* well past any real time, far from overflow */

/* Unix seconds from a header: decimal digits only.  Returns false for
 * NULL, empty, a sign, a space, anything not a digit, or too many. */
static bool parse_timestamp(const char *text, long long *out)
{
  long long v = 0;
  size_t len = text ? strlen(text) : 0;

  if (len == 0 || len > TIMESTAMP_DIGITS_MAX)
    return false;
  for (size_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9')
      return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

/* Whether one of the space-separated signatures of header is want (a
 * "v1,..." string); other versions are skipped. */
static bool header_has(const char *header, const char *want)
{
  size_t want_len = strlen(want);
  bool found = false;

  for (const char *p = header; *p;) {
    while (*p == ' ')
      p++;
    const char *end = strchr(p, ' ');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    /* every candidate is compared, so the time does not tell which matched */
    if (len == want_len && strncmp(p, "v1,", 3) == 0 && CRYPTO_memcmp(p, want, want_len) == 0)
      found = true;
    p += len;
  }
  return found;
}

enum webhook_verdict webhook_verify(const char *secret_text, const char *id, const char *timestamp, const char *body,
                                    size_t body_len, const char *sig_header, time_t now, long tolerance_s)
{
  unsigned char key[WEBHOOK_SECRET_MAX];
  char want[WEBHOOK_SIG_LEN];
  long long ts;

  if (!id || !*id || !sig_header || !*sig_header || (!body && body_len > 0) || !parse_timestamp(timestamp, &ts))
    return WEBHOOK_BAD_HEADERS;
  long n = webhook_secret_decode(secret_text, key, sizeof key);
  if (n <= 0)
    return WEBHOOK_BAD_HEADERS;
  enum webhook_verdict v = WEBHOOK_FORGED;
  if (ts < (long long)now - tolerance_s)
    v = WEBHOOK_TOO_OLD;
  else if (ts > (long long)now + tolerance_s)
    v = WEBHOOK_TOO_NEW;
  /* a body over WEBHOOK_BODY_MAX was never signed by the gateway: forged */
  else if (webhook_sign(key, (size_t)n, id, ts, body ? body : "", body_len, want) == 0 && header_has(sig_header, want))
    v = WEBHOOK_OK;
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(want, sizeof want);
  return v;
}

const char *webhook_verdict_name(enum webhook_verdict v)
{
  switch (v) {
  case WEBHOOK_OK:
    return "ok";
  case WEBHOOK_BAD_HEADERS:
    return "bad_headers";
  case WEBHOOK_TOO_OLD:
    return "too_old";
  case WEBHOOK_TOO_NEW:
    return "too_new";
  case WEBHOOK_FORGED:
    return "forged";
  }
  return "unknown";
}
