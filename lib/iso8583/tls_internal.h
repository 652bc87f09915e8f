/* tls_internal.h — inside lib/iso8583 only: what tls_ctx.c (contexts,
 * certificate checks) and tls.c (links) share. */
#ifndef PAYGW_ISO8583_TLS_INTERNAL_H
#define PAYGW_ISO8583_TLS_INTERNAL_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>

/* "<what>: <OpenSSL's reason for the last error>" into err; clears the
 * thread's error queue.  Reasons are OpenSSL's texts, never key material. */
void iso_tls_reason(char *err, size_t errlen, const char *what);

/* True when cert's subjectAltName (DNS) names one of `acquirers`; the name
 * is copied to out (may be NULL). */
bool iso_tls_acquirer_named(X509 *cert, const char *acquirers, char *out, size_t outlen);

/* The acquirer names a server context accepts (NULL for a client's). */
const char *iso_tls_ctx_acquirers(SSL_CTX *ctx);

/* True when cert's subjectAltName names exactly one merchant's POS
 * (DNS:merchant-<code>, code 1-15 of [0-9A-Za-z]); the code is copied to
 * `code` (may be NULL). */
bool iso_tls_merchant_named(X509 *cert, char *code, size_t cap);

/* True when a server context accepts merchants' POS certificates. */
bool iso_tls_ctx_merchants(SSL_CTX *ctx);

#endif
