/* token_handler.c — the 0600 (token key delivery) and the token 0100 of
 * the second embodiment (issue 14; docs/iso8583.md "Token sales").  The key arrives in field 63 and is opened at once: it must open
 * the encrypted number (field 61) bound to the 0600's merchant, amount,
 * currency and expiry to a card the issuer holds; it is then kept only
 * sealed under the issuer's data key (cardkeys_seal, AAD naming the key
 * ID).  A token 0100 brings the key ID and the encrypted number back; the
 * key is unsealed, the number opened with the stored binding and the
 * 0100's field 62, and the card number lives in this function's memory only
 * until its lookup hash is made.  Logs name the key ID, never the key, the
 * card number or the encrypted number. */
#include "credit-server/token_handler.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/cardcrypt.h"
#include "common/log.h"
#include "common/tokencrypt.h"
#include "credit-server/controls.h"
#include "credit-server/db/ops.h"
#include "credit-server/issuer.h"

static void log_token(const char *msg, const char *mti, const char *peer, const char *key_id, const char *code,
                      int field)
{
  log_event(LOG_INFO, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "msg", msg, "mti", mti, "peer", peer, "key_id",
                                key_id && *key_id ? key_id : "-", "response_code", code, "field", field));
}

/* --- 0600 ------------------------------------------------------------------ */

/* Opens the delivered number with the delivered key: its lookup hash into
 * card_hash.  Returns 0, or -1 when it does not open (14). */
static int opened_card_hash(const unsigned char key[TOKEN_KEY_LEN], const struct key_delivery *kd,
                            char card_hash[CARDCRYPT_LOOKUP_HEX])
{
  char pan[TOKEN_PAN_MAX + 1];
  struct token_binding b = { .key_id = kd->key_id,
                             .merchant_code = kd->merchant_code,
                             .amount = kd->amount,
                             .currency = kd->currency,
                             .expiry = kd->token_expiry };
  int rc = token_decrypt(key, &b, kd->number, pan, sizeof pan);

  if (rc == 0)
    rc = card_lookup_hash(pan, card_hash);
  OPENSSL_cleanse(pan, sizeof pan);
  return rc == 0 ? 0 : -1;
}

/* Whether the sealed key stored under the key ID is this key. */
static bool same_key(const char *key_id, const struct token_key_put_answer *stored,
                     const unsigned char key[TOKEN_KEY_LEN])
{
  unsigned char aad[CREDIT_TOKEN_KEY_AAD_MAX], plain[TOKEN_KEY_LEN + 1];
  size_t n = 0;
  int aad_len = credit_token_key_aad(key_id, aad);
  bool same = aad_len > 0
              && cardkeys_open(stored->stored_data_key_id, aad, (size_t)aad_len, stored->stored_sealed,
                               stored->stored_sealed_len, plain, sizeof plain, &n)
                     == 0
              && n == TOKEN_KEY_LEN && CRYPTO_memcmp(plain, key, TOKEN_KEY_LEN) == 0;

  OPENSSL_cleanse(plain, sizeof plain);
  return same;
}

/* The 0600's decision once its fields are good; the key is the caller's. */
static const char *deliver(const struct key_delivery *kd, const unsigned char key[TOKEN_KEY_LEN])
{
  char card_hash[CARDCRYPT_LOOKUP_HEX], expiry[CREDIT_TIMESTAMP_LEN];
  unsigned char aad[CREDIT_TOKEN_KEY_AAD_MAX], sealed[CARDCRYPT_SEAL_MAX + CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN];
  size_t sealed_len = 0;
  int data_key_id = 0;
  struct token_key_put_answer answer;

  if (opened_card_hash(key, kd, card_hash) != 0)
    return ISO_RC_INVALID_CARD;
  int aad_len = credit_token_key_aad(kd->key_id, aad);
  if (aad_len < 0 || !credit_token_expiry_timestamp(kd->token_expiry, expiry)
      || cardkeys_seal(key, TOKEN_KEY_LEN, aad, (size_t)aad_len, sealed, &sealed_len, &data_key_id) != 0) {
    LOG_BUG("cannot seal a token key under the issuer's data key");
    return ISO_RC_SYSTEM_ERROR;
  }
  struct token_key_new in = { .key_id = kd->key_id,
                              .number = kd->number,
                              .merchant_code = kd->merchant_code,
                              .currency = kd->currency,
                              .expiry = expiry,
                              .amount = kd->amount,
                              .key_sealed = sealed,
                              .key_sealed_len = sealed_len,
                              .data_key_id = data_key_id,
                              .card_hash = card_hash };
  if (issuer_token_key_store(&in, &answer) != 0)
    return ISO_RC_SYSTEM_ERROR;
  switch (answer.outcome) {
  case TOKEN_KEY_STORED:
    return ISO_RC_APPROVED;
  case TOKEN_KEY_SAME:
    /* a repeat of the same 0600 gets the first answer; the same number and
     * binding with another key cannot open, but say so rather than assume */
    return same_key(kd->key_id, &answer, key) ? ISO_RC_APPROVED : ISO_RC_DUPLICATE;
  case TOKEN_KEY_CONFLICT:
    return ISO_RC_DUPLICATE;
  case TOKEN_KEY_NO_CARD:
    return ISO_RC_INVALID_CARD;
  case TOKEN_KEY_NO_MERCHANT:
  default:
    return ISO_RC_INVALID_MERCHANT;
  }
}

bool token_key_delivery(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len)
{
  struct key_delivery kd;
  unsigned char key[TOKEN_KEY_LEN];
  const char *code;
  int bad = 0;

  if (!credit_key_delivery_parse(&job->request, &kd, &bad)) {
    code = ISO_RC_FORMAT_ERROR;
  } else if (token_key_from_text(kd.key_text, key) != 0) {
    bad = ISO_F_TOKEN_KEY;
    code = ISO_RC_FORMAT_ERROR;
  } else {
    code = deliver(&kd, key);
  }
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(kd.key_text, sizeof kd.key_text);
  log_token("token key delivery", job->request.mti, job->peer.key, kd.key_id, code, bad);
  return handler_answer(&job->request, handler_echo_for(job->request.mti), code, NULL, out, cap, out_len);
}

/* --- token 0100 ------------------------------------------------------------ */

/* Unseals the stored key and opens field 61 with the stored binding and
 * field 62 into pan.  Returns 0; -1 it does not open (14); -2 the key
 * cannot be unsealed (96: the issuer's key file lacks its data key). */
static int open_number(const struct token_request *tr, const struct token_key_row *row, char *pan, size_t pan_cap)
{
  unsigned char aad[CREDIT_TOKEN_KEY_AAD_MAX], key[TOKEN_KEY_LEN + 1];
  size_t n = 0;
  int aad_len = credit_token_key_aad(tr->key_id, aad);

  if (aad_len < 0
      || cardkeys_open(row->data_key_id, aad, (size_t)aad_len, row->key_sealed, row->key_sealed_len, key, sizeof key,
                       &n)
             != 0
      || n != TOKEN_KEY_LEN) {
    OPENSSL_cleanse(key, sizeof key);
    return -2;
  }
  /* bound to what the gateway delivered: a number opened with another
   * merchant or amount would not tell 03 from 13 from tampering */
  struct token_binding b = { .key_id = tr->key_id,
                             .merchant_code = row->merchant_code,
                             .amount = row->amount,
                             .currency = row->currency,
                             .expiry = tr->token_expiry };
  int rc = strcmp(tr->number, row->number) == 0 ? token_decrypt(key, &b, tr->number, pan, pan_cap) : -1;
  OPENSSL_cleanse(key, sizeof key);
  return rc == 0 ? 0 : -1;
}

/* The early refusals (30, 14, 96) of a token 0100; NULL when the card
 * number is in tr->base.pan and the database decides. */
static const char *token_prepare(struct handler_job *job, struct token_request *tr, long now, int *bad)
{
  struct token_key_row row;

  bool well_formed = credit_token_request_parse(&job->request, tr, bad)
                     && credit_transmission_instant(tr->base.transmission_time, now, &tr->base.transmitted_at) == 0;
  if (!well_formed)
    return credit_token_early_code(true, false, false, false);
  int found = issuer_token_key_find(tr->key_id, &row);
  if (found < 0)
    return ISO_RC_SYSTEM_ERROR;
  int opened = found ? open_number(tr, &row, tr->base.pan, sizeof tr->base.pan) : -1;
  OPENSSL_cleanse(&row, sizeof row);
  if (opened == -2) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "a stored token key cannot be unsealed (data key missing?)",
                                   "key_id", tr->key_id));
    return ISO_RC_SYSTEM_ERROR;
  }
  return credit_token_early_code(true, true, found == 1, opened == 0);
}

/* Test controls (controls.h) for the card the token opened to, known only
 * now: a delay sleeps here, on the POS's connection, before the decision
 * (a reversal on another connection meanwhile is seen by it); drop decides
 * and never answers — so a POS's time-out and its reversal can be tested. */
static void token_controls(struct handler_job *job, const char *pan)
{
  long delay_ms = 0;
  bool drop = false;
  size_t n = strlen(pan);

  if (!controls_enabled() || n < 4)
    return;
  controls_for_card(pan + n - 4, &delay_ms, &drop);
  job->drop = job->drop || drop;
  struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
  while (delay_ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

bool token_authorize(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len)
{
  struct token_request tr;
  struct authorize_result res;
  int bad = 0;
  long now = (long)time(NULL);

  memset(&res, 0, sizeof res);
  const char *early = token_prepare(job, &tr, now, &bad);
  if (early) {
    OPENSSL_cleanse(tr.base.pan, sizeof tr.base.pan);
    log_token("token authorization refused", job->request.mti, job->peer.key, tr.key_id, early, bad);
    return handler_answer(&job->request, handler_echo_for(job->request.mti), early, NULL, out, cap, out_len);
  }
  token_controls(job, tr.base.pan);
  int outcome = issuer_authorize_from(job->peer.key, tr.key_id, &tr.base, now, &res);
  OPENSSL_cleanse(tr.base.pan, sizeof tr.base.pan);
  if (outcome == -2) {
    log_event(LOG_WARN,
              json_pack("{s:s, s:s, s:s}", "msg", "token authorization outcome unknown (database lost); not answering",
                        "stan", tr.base.stan, "peer", job->peer.key));
    return false;
  }
  if (outcome != 0)
    snprintf(res.response_code, sizeof res.response_code, "%s", ISO_RC_SYSTEM_ERROR);
  log_event(LOG_INFO,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:b, s:b}", "msg", "token authorization",
                      "peer", job->peer.key, "key_id", tr.key_id, "stan", tr.base.stan, "terminal", tr.base.terminal_id,
                      "merchant", tr.base.merchant_code, "amount", (json_int_t)tr.base.amount, "currency",
                      tr.base.currency, "method", tr.base.method, "response_code", res.response_code, "duplicate",
                      res.duplicate, "charged", res.charged));
  if (job->drop)
    return false;
  return handler_answer(&job->request, handler_echo_for(job->request.mti), res.response_code, res.approval_code, out,
                        cap, out_len);
}
