/* webhook_sig.h — the Standard Webhooks signature of a delivery to a
 * merchant (docs/webhooks.md): secrets are "whsec_" + base64 of their
 * bytes, and a delivery is signed "v1," + base64(HMAC-SHA256(secret bytes,
 * id "." timestamp "." body)).  Pure functions but for the random secret;
 * unit-tested against the specification's example (test_webhook_sig.c). */
#ifndef PAYGW_WEBHOOK_SIG_H
#define PAYGW_WEBHOOK_SIG_H

#include <stddef.h>

#define WEBHOOK_SECRET_LEN 32      /* bytes of a secret the gateway makes */
#define WEBHOOK_SECRET_MAX 64      /* longest secret read back */
#define WEBHOOK_SECRET_TEXT_LEN 96 /* "whsec_" + base64 + NUL, with room */
#define WEBHOOK_SIG_LEN 52         /* "v1," + 44 base64 characters + NUL */
#define WEBHOOK_AAD_LEN 28         /* webhook_secret_aad */
#define WEBHOOK_BODY_MAX 65536     /* longest body signed */

/* A fresh secret: WEBHOOK_SECRET_LEN bytes from RAND_bytes into raw, and
 * its text form into text.  Returns 0, or -1 when no random bytes came. */
int webhook_secret_new(unsigned char raw[WEBHOOK_SECRET_LEN], char text[WEBHOOK_SECRET_TEXT_LEN]);

/* The bytes of a "whsec_" secret into out (capacity cap).  Returns how
 * many, or -1 for text without the prefix, not base64 (with its padding),
 * empty, or longer than cap. */
long webhook_secret_decode(const char *text, unsigned char *out, size_t cap);

/* The signature of one attempt, "v1,<base64>" into sig.  Returns 0, or -1
 * (a body over WEBHOOK_BODY_MAX, no memory). */
int webhook_sign(const unsigned char *key, size_t key_len, const char *id, long long timestamp, const char *body,
                 size_t body_len, char sig[WEBHOOK_SIG_LEN]);

/* What a merchant's sealed secret is bound to (the AES-GCM associated data
 * of cardkeys_seal): "paygw-webhook-secret" and the merchant's row id (8
 * bytes, big-endian), so a sealed secret copied to another merchant's row
 * does not open there. */
void webhook_secret_aad(long long merchant_id, unsigned char out[WEBHOOK_AAD_LEN]);

#endif
