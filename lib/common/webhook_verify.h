/* webhook_verify.h — the receiving side of Standard Webhooks
 * (docs/webhooks.md): checks a delivery's webhook-id, webhook-timestamp
 * and webhook-signature headers against the endpoint's secret, reusing
 * webhook_sign (webhook_sig.h) for the HMAC. */
#ifndef PAYGW_WEBHOOK_VERIFY_H
#define PAYGW_WEBHOOK_VERIFY_H

#include <stddef.h>
#include <time.h>

enum webhook_verdict { WEBHOOK_OK, WEBHOOK_BAD_HEADERS, WEBHOOK_TOO_OLD, WEBHOOK_TOO_NEW, WEBHOOK_FORGED };

/* secret_text: "whsec_<base64>"; sig_header may hold several
 * space-separated "v1,<b64>" (any other version ignored); constant-time
 * compare (CRYPTO_memcmp); tolerance_s: 300.  BAD_HEADERS for a missing or
 * empty id, a missing, empty or non-numeric timestamp, a missing signature
 * header, or a secret that does not decode; TOO_OLD / TOO_NEW when the
 * timestamp is more than tolerance_s before / after now; FORGED when no v1
 * signature matches. */
enum webhook_verdict webhook_verify(const char *secret_text, const char *id, const char *timestamp, const char *body,
                                    size_t body_len, const char *sig_header, time_t now, long tolerance_s);

/* "ok", "bad_headers", "too_old", "too_new", "forged" (for logs). */
const char *webhook_verdict_name(enum webhook_verdict v);

#endif
