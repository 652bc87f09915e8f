/* tls_ctx.c — the TLS contexts of the ISO 8583 link (tls.h): protocol
 * versions and suites (the project's rule: TLS 1.2 and 1.3 only, ECDHE with
 * AES-GCM or ChaCha20-Poly1305), certificates, and the credit server's check
 * of an acquirer's certificate beyond its CA.  No session resumption (each
 * link is one long-lived connection per process, so a full handshake per
 * connection costs little) and no renegotiation. */
#include "iso8583/tls.h"
#include "iso8583/tls_internal.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TLS12_SUITES                                                                                                   \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"                                                         \
  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"                                                         \
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define TLS13_SUITES "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
#define TLS_GROUPS "X25519:P-256:P-384"

static int acquirers_index = -1;
static int merchants_index = -1; /* non-NULL: merchants' POS certificates accepted too */
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void make_index(void)
{
  acquirers_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
  merchants_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

void iso_tls_reason(char *err, size_t errlen, const char *what)
{
  unsigned long e = ERR_peek_last_error();
  const char *reason = e ? ERR_reason_error_string(e) : NULL;

  if (reason)
    snprintf(err, errlen, "%s: %s", what, reason);
  else
    snprintf(err, errlen, "%s", what);
  ERR_clear_error();
}

static SSL_CTX *ctx_common(const SSL_METHOD *method, const char *ca_file, char *err, size_t errlen)
{
  SSL_CTX *ctx = SSL_CTX_new(method);

  if (!ctx) {
    iso_tls_reason(err, errlen, "cannot make a TLS context");
    return NULL;
  }
  if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) || !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)
      || !SSL_CTX_set_cipher_list(ctx, TLS12_SUITES) || !SSL_CTX_set_ciphersuites(ctx, TLS13_SUITES)
      || !SSL_CTX_set1_groups_list(ctx, TLS_GROUPS)) {
    iso_tls_reason(err, errlen, "cannot set the TLS versions and suites");
    SSL_CTX_free(ctx);
    return NULL;
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify_depth(ctx, 4);
  if (!ca_file || SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
    iso_tls_reason(err, errlen, ca_file ? "cannot read the CA file" : "no CA file given");
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

static int use_certificate(SSL_CTX *ctx, const char *cert_file, const char *key_file, char *err, size_t errlen)
{
  if (!cert_file || !key_file) {
    snprintf(err, errlen, "no certificate or key file given");
    return -1;
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
    iso_tls_reason(err, errlen, "cannot read the certificate file");
    return -1;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
    iso_tls_reason(err, errlen, "cannot read the key file");
    return -1;
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    iso_tls_reason(err, errlen, "the key does not match the certificate");
    return -1;
  }
  return 0;
}

SSL_CTX *iso_tls_client_ctx(const char *ca_file, const char *cert_file, const char *key_file, char *err, size_t errlen)
{
  SSL_CTX *ctx = ctx_common(TLS_client_method(), ca_file, err, errlen);

  if (!ctx)
    return NULL;
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  if ((cert_file || key_file) && use_certificate(ctx, cert_file, key_file, err, errlen) != 0) {
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

bool iso_tls_acquirer_named(X509 *cert, const char *acquirers, char *out, size_t outlen)
{
  const char *p = acquirers ? acquirers : "";

  while (*p) {
    size_t n = strcspn(p, " ,\t");
    if (n > 0
        && X509_check_host(cert, p, n, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_WILDCARDS, NULL) == 1) {
      if (out)
        snprintf(out, outlen, "%.*s", (int)n, p);
      return true;
    }
    p += n;
    p += strspn(p, " ,\t");
  }
  return false;
}

/* A merchant code as ISO 8583 field 42 carries it: 1-15 of [0-9A-Za-z]. */
static bool merchant_code_valid(const char *s, size_t n)
{
  if (n < 1 || n > ISO_TLS_MERCHANT_CODE_MAX)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
      return false;
  return true;
}

bool iso_tls_merchant_named(X509 *cert, char *code, size_t cap)
{
  static const char prefix[] = ISO_TLS_MERCHANT_PREFIX;
  const size_t plen = sizeof prefix - 1;
  GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  int found = 0;
  char first[ISO_TLS_MERCHANT_CODE_MAX + 1] = "";

  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
    const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
    if (g->type != GEN_DNS)
      continue;
    const char *dns = (const char *)ASN1_STRING_get0_data(g->d.dNSName);
    size_t n = (size_t)ASN1_STRING_length(g->d.dNSName);
    if (n <= plen || strncmp(dns, prefix, plen) != 0)
      continue;
    /* one merchant per certificate: a second name, or one that is no
     * merchant code (a NUL inside, a wildcard), refuses the certificate */
    if (!merchant_code_valid(dns + plen, n - plen) || found++ > 0) {
      found = 2;
      break;
    }
    snprintf(first, sizeof first, "%.*s", (int)(n - plen), dns + plen);
  }
  GENERAL_NAMES_free(names);
  if (found != 1)
    return false;
  if (code)
    snprintf(code, cap, "%s", first);
  return true;
}

/* The check beyond the CA, on the peer's own certificate (depth 0) once the
 * chain is good: made for client authentication (the extension must be
 * there: a certificate without it would be good for anything), and naming
 * an acquirer this server serves, or (when the context accepts them) one
 * merchant's POS.  A failure here is a verification error,
 * so the handshake ends with the matching alert. */
static int verify_acquirer(int ok, X509_STORE_CTX *store)
{
  if (!ok || X509_STORE_CTX_get_error_depth(store) != 0)
    return ok;
  X509 *cert = X509_STORE_CTX_get_current_cert(store);
  SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
  const char *acquirers = ssl ? SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), acquirers_index) : NULL;
  bool merchants = ssl && SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), merchants_index) != NULL;

  if (!(X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) || !(X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT)) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_INVALID_PURPOSE);
    return 0;
  }
  if (!iso_tls_acquirer_named(cert, acquirers, NULL, 0) && !(merchants && iso_tls_merchant_named(cert, NULL, 0))) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
    return 0;
  }
  return 1;
}

SSL_CTX *iso_tls_server_ctx(const char *ca_file, const char *cert_file, const char *key_file, const char *acquirers,
                            char *err, size_t errlen)
{
  pthread_once(&index_once, make_index);
  if (!acquirers || !acquirers[strspn(acquirers, " ,\t")]) {
    snprintf(err, errlen, "no acquirer names given: no peer could be accepted");
    return NULL;
  }
  SSL_CTX *ctx = ctx_common(TLS_server_method(), ca_file, err, errlen);
  if (!ctx)
    return NULL;
  char *names = strdup(acquirers);
  STACK_OF(X509_NAME) *cas = SSL_load_client_CA_file(ca_file);
  if (!names || !cas || use_certificate(ctx, cert_file, key_file, err, errlen) != 0
      || !SSL_CTX_set_ex_data(ctx, acquirers_index, names)) {
    if (!names || !cas)
      iso_tls_reason(err, errlen, "cannot read the CA names");
    free(names);
    sk_X509_NAME_pop_free(cas, X509_NAME_free);
    SSL_CTX_free(ctx);
    return NULL;
  }
  SSL_CTX_set_client_CA_list(ctx, cas); /* the CertificateRequest names the CA */
  SSL_CTX_set_num_tickets(ctx, 0);      /* TLS 1.3: no session tickets after the handshake */
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_acquirer);
  return ctx;
}

int iso_tls_server_accept_merchants(SSL_CTX *ctx)
{
  static char on[] = "merchants";

  pthread_once(&index_once, make_index);
  return SSL_CTX_set_ex_data(ctx, merchants_index, on) == 1 ? 0 : -1;
}

bool iso_tls_ctx_merchants(SSL_CTX *ctx)
{
  return merchants_index >= 0 && SSL_CTX_get_ex_data(ctx, merchants_index) != NULL;
}

void iso_tls_ctx_free(SSL_CTX *ctx)
{
  if (!ctx)
    return;
  if (acquirers_index >= 0)
    free(SSL_CTX_get_ex_data(ctx, acquirers_index));
  SSL_CTX_free(ctx);
}

const char *iso_tls_ctx_acquirers(SSL_CTX *ctx)
{
  return acquirers_index >= 0 ? SSL_CTX_get_ex_data(ctx, acquirers_index) : NULL;
}
