/* token_issue.c — see token_issue.h. */
#include "gateway/token_issue.h"
#include "gateway/issuer_link.h"
#include "gateway/methods.h"
#include "gateway/settings.h"
#include "gateway/token_request.h"
#include "common/log.h"
#include "common/pan.h"
#include "common/tokencrypt.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Everything secret of one delivery, in one place to wipe. */
struct secrets {
  char pan[20];
  unsigned char key[TOKEN_KEY_LEN];
  char key_text[TOKEN_KEY_TEXT + 1];
};

/* The encrypted number of d's card under a fresh key: ecn, key ID and
 * expiry filled, the key in s.  0, or -1 (logged, without the number). */
static int seal_card(const char *id, const struct token_reply_out *d, struct secrets *s,
                     char key_id[TOKEN_KEY_ID_TEXT + 1], char ecn[TOKEN_NUMBER_TEXT_MAX + 1], char expiry[15],
                     char last4[5])
{
  char card_expiry[5], masked[24];

  if (methods_card_decrypt(&d->card, s->pan, card_expiry, masked) != 0)
    return -1;
  token_expiry_text(time(NULL) + settings.token_ttl_s, expiry);
  struct token_binding b = { .key_id = key_id,
                             .merchant_code = d->merchant_code,
                             .amount = d->total,
                             .currency = d->currency_numeric,
                             .expiry = expiry };
  if (token_new_key(s->key, key_id) != 0 || token_encrypt(s->key, &b, s->pan, ecn, TOKEN_NUMBER_TEXT_MAX + 1) != 0) {
    log_msg(LOG_ERROR, "token request %s: the card number could not be encrypted", id);
    return -1;
  }
  snprintf(last4, 5, "%s", s->pan + strlen(s->pan) - 4);
  token_key_to_text(s->key, s->key_text);
  return 0;
}

enum db_status token_issue(struct db *db, const char *id, const struct token_reply_out *d, char status[32],
                           char reason[32])
{
  struct secrets s;
  char key_id[TOKEN_KEY_ID_TEXT + 1] = "", ecn[TOKEN_NUMBER_TEXT_MAX + 1] = "", expiry[15] = "", last4[5] = "";
  struct issuer_answer answer = { .response_code = "" };
  struct issuer_key_delivery k = { .amount = d->total,
                                   .currency_numeric = d->currency_numeric,
                                   .merchant_code = d->merchant_code,
                                   .stan = d->stan,
                                   .key_id = key_id,
                                   .ecn = ecn,
                                   .expiry = expiry,
                                   .key_text = s.key_text };
  const char *end_status, *end_reason;
  bool answered = false;

  memset(&s, 0, sizeof s);
  issuer_terminal_field(d->iso_terminal_id, k.terminal_field);
  issuer_transmission_time(k.transmission_time);
  if (seal_card(id, d, &s, key_id, ecn, expiry, last4) == 0)
    answered = issuer_deliver_key(&k, &answer, settings.issuer_timeout_ms) == ISSUER_ANSWERED;
  OPENSSL_cleanse(&s, sizeof s); /* the key and the number live no longer */
  token_delivery_outcome(answered, answer.response_code, &end_status, &end_reason);
  bool issued = strcmp(end_status, "issued") == 0;
  struct token_delivered_in in = { .row_id = d->row_id,
                                   .status = end_status,
                                   .reason = end_reason,
                                   .transmission_time = k.transmission_time,
                                   .response_code = answered ? answer.response_code : NULL,
                                   .key_id = *key_id ? key_id : NULL,
                                   .ecn = issued ? ecn : NULL,
                                   .expiry = issued ? expiry : NULL,
                                   .last4 = issued ? last4 : NULL };
  struct token_delivered_out out;
  enum db_status st = db_token_delivered(db, &in, &out);
  if (st == DB_ONE_ROW) {
    snprintf(status, 32, "%s", out.status);
    snprintf(reason, 32, "%s", out.reason);
  }
  log_event(issued ? LOG_INFO : LOG_WARN,
            json_pack("{s:s, s:s, s:s, s:s}", "msg", "token key delivery", "token_request", id, "outcome", end_status,
                      "response_code", answered ? answer.response_code : "none"));
  return st;
}
