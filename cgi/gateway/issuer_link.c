/* issuer_link.c — see issuer_link.h.  A worker handles one request at a
 * time, so one connection carries at most one outstanding message.  After a
 * time-out the connection is closed (a frame may be half read), so a late
 * answer never reaches the next request; any other stray answer is dropped
 * by matching MTI and STAN.  The connection is mutual TLS (lib/iso8583/
 * tls.h): this process presents the gateway's client certificate and sends
 * nothing to a server whose certificate does not chain to the link's CA and
 * name the credit server.  The settings are read from the environment on
 * first use, so any gateway process that uses this file gets them. */
#include "gateway/issuer_link.h"
#include "gateway/metrics.h"
#include "gateway/settings.h"
#include "common/config.h"
#include "common/log.h"
#include "common/tokencrypt.h"
#include "iso8583/frame.h"
#include "iso8583/authmsg.h"
#include "iso8583/iso8583.h"
#include "iso8583/tls.h"

#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static struct iso_link *link;
static SSL_CTX *link_ctx;
static const char *server_name; /* the name the credit server's certificate must carry */
static long connect_timeout_ms; /* TCP connect and TLS handshake together */

static void link_close(void)
{
  iso_link_close(link);
  link = NULL;
}

/* The TLS context, made on first use from the environment (docs/config.md).
 * NULL (logged) while a setting is missing or a file unreadable: every
 * message then goes unanswered, and the next one tries again. */
static SSL_CTX *tls_context(void)
{
  char why[200];

  if (link_ctx)
    return link_ctx;
  const char *ca = config_str("PAYGW_CREDIT_CA", NULL);
  const char *cert = config_str("PAYGW_CREDIT_CLIENT_CERT", NULL);
  const char *key = config_str("PAYGW_CREDIT_CLIENT_KEY", NULL);
  server_name = config_str("PAYGW_CREDIT_SERVER_NAME", NULL);
  connect_timeout_ms = config_long("PAYGW_CREDIT_CONNECT_TIMEOUT_MS", 1000, 100, 60000);
  if (!ca || !cert || !key) {
    log_msg(LOG_ERROR, "the credit server link needs PAYGW_CREDIT_CA, PAYGW_CREDIT_CLIENT_CERT and "
                       "PAYGW_CREDIT_CLIENT_KEY (mutual TLS; docs/iso8583.md)");
    return NULL;
  }
  if (!(link_ctx = iso_tls_client_ctx(ca, cert, key, why, sizeof why)))
    log_event(LOG_ERROR, json_pack("{s:s, s:s, s:s, s:s}", "msg", "cannot set up TLS for the credit server link",
                                   "reason", why, "certificate", cert, "ca", ca));
  return link_ctx;
}

/* Opens the link within the connect time-out (and never past the caller's). */
static bool link_open(long timeout_ms)
{
  enum iso_link_fail fail;
  char why[200];
  SSL_CTX *ctx = tls_context();

  if (!ctx)
    return false;
  link = iso_link_connect(ctx, settings.credit_addr, server_name,
                          (int)(timeout_ms < connect_timeout_ms ? timeout_ms : connect_timeout_ms), &fail, why,
                          sizeof why);
  if (link)
    return true;
  if (fail == ISO_LINK_NO_CONNECTION)
    log_msg(LOG_WARN, "credit server %s is not reachable", settings.credit_addr);
  else
    log_event(LOG_WARN, json_pack("{s:s, s:s, s:s}", "msg", "credit server refused: no TLS link", "credit_server",
                                  settings.credit_addr, "reason", why));
  return false;
}

void issuer_terminal_field(const char *terminal_code, char out[9])
{
  int len = iso_field_length(ISO_F_TERMINAL_ID); /* space padded to it (fields.c) */

  snprintf(out, 9, "%-*.*s", len, len, terminal_code);
}

void issuer_transmission_time(char out[11])
{
  iso_transmission_time_now(out);
}

/* True when the kept connection can carry the next message: the credit
 * server has not closed it (after a restart of the server its close_notify
 * or FIN waits here, and across a network the next send would still
 * succeed, so the loss would only show as a missing answer) and nothing
 * unasked-for waits on it.  TLS records without data are consumed on the
 * way (iso_link_usable). */
static bool link_usable(void)
{
  return iso_link_usable(link);
}

/* Sends msg, on a new connection when the kept one has gone away.  Sending
 * again after a failed send is safe: the credit server answers a repeated
 * 0100 (same STAN, terminal, time) with its first answer. */
static int send_message(const struct iso_msg *msg, long timeout_ms)
{
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  int rc = -1;

  metrics_issuer_sent(msg->mti); /* the round trip starts (metrics.c) */
  if (iso_pack(msg, buf, sizeof buf, &len) != ISO_OK) {
    log_msg(LOG_ERROR, "cannot encode an ISO 8583 %s", msg->mti);
    return -1;
  }
  for (int attempt = 0; attempt < 2 && rc != 0; attempt++) {
    if (link && !link_usable())
      link_close();
    if (!link && !link_open(timeout_ms))
      break;
    if (iso_link_send(link, buf, len, (int)timeout_ms) == ISO_FRAME_OK)
      rc = 0;
    else
      link_close();
  }
  OPENSSL_cleanse(buf, sizeof buf); /* a 0100 holds the card number */
  if (rc != 0)
    metrics_issuer_done(false); /* not even sent: unanswered */
  return rc;
}

/* Waits for the answer with MTI `mti` and our STAN (lib/iso8583/authmsg.c). */
static int await_answer(const char *mti, const char *stan, struct iso_msg *answer, long timeout_ms)
{
  struct iso_await_notes notes = { 0 };
  enum iso_await rc = iso_link_await(link, mti, stan, answer, timeout_ms, &notes);

  metrics_issuer_done(rc == ISO_AWAIT_ANSWER);

  if (notes.malformed)
    log_msg(LOG_WARN, "dropped a malformed message from the credit server");
  if (notes.unrelated)
    log_msg(LOG_INFO, "dropped a late message from the credit server");
  if (rc == ISO_AWAIT_ANSWER)
    return 0;
  /* an alert (the credit server refused our certificate after a TLS 1.3
   * handshake), or it closed the link: say so; a time-out is the caller's
   * to log */
  if (rc == ISO_AWAIT_CLOSED && *iso_link_error(link))
    log_event(LOG_WARN,
              json_pack("{s:s, s:s}", "msg", "credit server closed the link", "reason", iso_link_error(link)));
  link_close(); /* a frame may be half read: the stream cannot be trusted */
  return -1;
}

/* The fields the gateway's 0100 shares with the POS's (lib/iso8583/authmsg.c). */
static void auth_fields(const struct issuer_auth *a, struct iso_auth_fields *f)
{
  memset(f, 0, sizeof *f);
  f->amount = a->amount;
  f->currency_numeric = a->currency_numeric;
  f->merchant_code = a->merchant_code;
  f->terminal_id = a->terminal_field;
  f->stan = (unsigned long)a->stan;
  snprintf(f->transmission_time, sizeof f->transmission_time, "%s", a->transmission_time);
  f->method = a->method;
  f->installments = a->installments;
}

enum issuer_result issuer_authorize(const struct issuer_auth *a, struct issuer_answer *answer, long timeout_ms)
{
  struct iso_msg m, reply;
  struct iso_auth_fields f;
  char stan[7];
  int rc;

  memset(answer, 0, sizeof *answer);
  auth_fields(a, &f);
  rc = iso_auth_build(&m, &f);
  rc |= iso_set(&m, ISO_F_PAN, a->pan);
  rc |= iso_set(&m, ISO_F_EXPIRY, a->expiry);
  snprintf(stan, sizeof stan, "%s", iso_get(&m, ISO_F_STAN) ? iso_get(&m, ISO_F_STAN) : "");
  if (rc == ISO_OK)
    rc = send_message(&m, timeout_ms);
  else
    log_msg(LOG_ERROR, "cannot build the 0100 (a field is malformed)");
  OPENSSL_cleanse(&m, sizeof m);
  if (rc != ISO_OK || await_answer(ISO_MTI_AUTH_RESPONSE, stan, &reply, timeout_ms) != 0)
    return ISSUER_NO_ANSWER;
  const char *code = iso_get(&reply, ISO_F_RESPONSE_CODE);
  const char *approval = iso_get(&reply, ISO_F_APPROVAL_CODE);
  snprintf(answer->response_code, sizeof answer->response_code, "%s", code ? code : "96");
  snprintf(answer->approval_code, sizeof answer->approval_code, "%s", approval ? approval : "");
  return ISSUER_ANSWERED;
}

enum issuer_result issuer_reverse_answer(const struct issuer_auth *a, bool repeat, struct issuer_answer *answer,
                                         long timeout_ms)
{
  struct iso_msg m, reply;
  struct iso_auth_fields f;
  char stan[7];

  memset(answer, 0, sizeof *answer);
  auth_fields(a, &f);
  if (iso_reversal_build(&m, &f, repeat) != ISO_OK) {
    log_msg(LOG_ERROR, "cannot build the reversal");
    return ISSUER_NO_ANSWER;
  }
  snprintf(stan, sizeof stan, "%s", iso_get(&m, ISO_F_STAN) ? iso_get(&m, ISO_F_STAN) : "");
  if (send_message(&m, timeout_ms) != 0 || await_answer(ISO_MTI_REVERSAL_RESPONSE, stan, &reply, timeout_ms) != 0)
    return ISSUER_NO_ANSWER;
  const char *code = iso_get(&reply, ISO_F_RESPONSE_CODE);
  snprintf(answer->response_code, sizeof answer->response_code, "%s", code ? code : "96");
  return ISSUER_ANSWERED;
}

enum issuer_result issuer_reverse(const struct issuer_auth *a, bool repeat, long timeout_ms)
{
  struct issuer_answer answer;

  if (issuer_reverse_answer(a, repeat, &answer, timeout_ms) != ISSUER_ANSWERED)
    return ISSUER_NO_ANSWER;
  /* 25: the issuer never saw the original, which it now refuses: done too */
  return (strcmp(answer.response_code, "00") == 0 || strcmp(answer.response_code, "25") == 0) ? ISSUER_ANSWERED
                                                                                              : ISSUER_NO_ANSWER;
}

int issuer_refund_message(const struct issuer_refund *r, bool repeat, struct iso_msg *m, char stan[7])
{
  char original[64] = "", orig_stan[7];
  int rc = 0;

  iso_msg_init(m, repeat ? ISO_MTI_REFUND_REPEAT : ISO_MTI_REFUND_ADVICE);
  if (r->amount <= 0 || r->stan < 1 || r->stan > 999999 || r->orig_stan < 1 || r->orig_stan > 999999)
    return -1;
  rc |= iso_set(m, ISO_F_PROCESSING_CODE, ISO_PC_REFUND);
  rc |= iso_set_num(m, ISO_F_AMOUNT, (uint64_t)r->amount);
  rc |= iso_set(m, ISO_F_TRANSMISSION_TIME, r->transmission_time);
  rc |= iso_set_num(m, ISO_F_STAN, (uint64_t)r->stan);
  snprintf(stan, 7, "%s", iso_get(m, ISO_F_STAN) ? iso_get(m, ISO_F_STAN) : "");
  rc |= iso_set_padded(m, ISO_F_TERMINAL_ID, r->terminal_field);
  rc |= iso_set_padded(m, ISO_F_MERCHANT_ID, r->merchant_code);
  rc |= iso_set(m, ISO_F_CURRENCY, r->currency_numeric);
  snprintf(orig_stan, sizeof orig_stan, "%06d", r->orig_stan);
  rc |= iso_original_encode(ISO_MTI_AUTH_REQUEST, orig_stan, r->orig_time, original, sizeof original);
  rc |= iso_set(m, ISO_F_ORIGINAL_DATA, original);
  return rc == 0 ? 0 : -1;
}

enum issuer_result issuer_refund(const struct issuer_refund *r, bool repeat, struct issuer_answer *answer,
                                 long timeout_ms)
{
  struct iso_msg m, reply;
  char stan[7];

  memset(answer, 0, sizeof *answer);
  if (issuer_refund_message(r, repeat, &m, stan) != 0) {
    log_msg(LOG_ERROR, "cannot build the refund advice (a field is malformed)");
    return ISSUER_NO_ANSWER;
  }
  if (send_message(&m, timeout_ms) != 0 || await_answer(ISO_MTI_REFUND_RESPONSE, stan, &reply, timeout_ms) != 0)
    return ISSUER_NO_ANSWER;
  const char *code = iso_get(&reply, ISO_F_RESPONSE_CODE);
  snprintf(answer->response_code, sizeof answer->response_code, "%s", code ? code : "96");
  return ISSUER_ANSWERED;
}

/* Fields 60-63 are LLLVAR ans..999 (fields.c), reserved for the tokens. */
enum { FIELD_TOKEN_KEY_ID = 60, FIELD_TOKEN_NUMBER = 61, FIELD_TOKEN_EXPIRY = 62, FIELD_TOKEN_KEY = 63 };

int issuer_key_message(const struct issuer_key_delivery *d, struct iso_msg *m, char stan[7])
{
  int rc = 0;

  iso_msg_init(m, ISO_MTI_ADMIN_REQUEST);
  /* fields 60-63 are free text to the codec: their own shapes checked here */
  if (!token_key_id_valid(d->key_id) || !token_expiry_valid(d->expiry) || !d->ecn || !*d->ecn || !d->key_text
      || strlen(d->key_text) != TOKEN_KEY_TEXT)
    return -1;
  rc |= iso_set_num(m, ISO_F_AMOUNT, (uint64_t)d->amount);
  rc |= iso_set(m, ISO_F_TRANSMISSION_TIME, d->transmission_time);
  rc |= iso_set_num(m, ISO_F_STAN, (uint64_t)d->stan);
  snprintf(stan, 7, "%s", iso_get(m, ISO_F_STAN) ? iso_get(m, ISO_F_STAN) : "");
  rc |= iso_set_padded(m, ISO_F_TERMINAL_ID, d->terminal_field);
  rc |= iso_set_padded(m, ISO_F_MERCHANT_ID, d->merchant_code);
  rc |= iso_set(m, ISO_F_CURRENCY, d->currency_numeric);
  rc |= iso_set(m, FIELD_TOKEN_KEY_ID, d->key_id);
  rc |= iso_set(m, FIELD_TOKEN_NUMBER, d->ecn);
  rc |= iso_set(m, FIELD_TOKEN_EXPIRY, d->expiry);
  rc |= iso_set(m, FIELD_TOKEN_KEY, d->key_text);
  return rc == 0 ? 0 : -1;
}

enum issuer_result issuer_deliver_key(const struct issuer_key_delivery *d, struct issuer_answer *answer,
                                      long timeout_ms)
{
  struct iso_msg m, reply;
  char stan[7];
  int rc;

  memset(answer, 0, sizeof *answer);
  if (issuer_key_message(d, &m, stan) == 0)
    rc = send_message(&m, timeout_ms);
  else {
    rc = -1;
    log_msg(LOG_ERROR, "cannot build the 0600 (a field is malformed)");
  }
  OPENSSL_cleanse(&m, sizeof m); /* it held the key */
  if (rc != 0 || await_answer(ISO_MTI_ADMIN_RESPONSE, stan, &reply, timeout_ms) != 0)
    return ISSUER_NO_ANSWER;
  const char *code = iso_get(&reply, ISO_F_RESPONSE_CODE);
  snprintf(answer->response_code, sizeof answer->response_code, "%s", code ? code : "96");
  OPENSSL_cleanse(&reply, sizeof reply);
  return ISSUER_ANSWERED;
}
