/* ep_payment_method_post.c — POST /v1/transactions/{number}/payment-method:
 * the shopper's choice (S9) and the authorization at the credit server
 * (S10-S14).  Exactly once toward the credit server:
 *   1. one call (db/txn_begin_auth.c, gateway.do_begin_authorization)
 *      checks the method is offered and that the card, user ID, handset,
 *      subscriber, issuer, merchant and terminal are still enrolled
 *      (parties.c: any disabled since device-auth declines the payment,
 *      `enrolment_disabled`, in a second call, and nothing is sent), then
 *      moves awaiting_method → authorizing and records the authorization
 *      (STAN, time) BEFORE anything is sent, answering the card's
 *      ciphertext, which the worker decrypts (a card changed since the
 *      confirmation decrypted it is read and decrypted first);
 *   2. the 0100 goes out and the 0110 is awaited within the time-out;
 *   3. a second database transaction records the answer, ends the payment
 *      and tells the handset's mailbox — or, with no answer, marks it failed
 *      with its reversal due and wakes paygw-sweeper (sweep.c), which sends
 *      the 0400 (then 0401 repeats with back-off) and also reverses
 *      authorizations left "sent" by a worker that died between steps 1
 *      and 3.  The worker itself never sends a reversal. */
#include "gateway/db/card.h"
#include "gateway/db/handset.h"
#include "gateway/endpoints.h"
#include "gateway/mailbox.h"
#include "gateway/metrics.h"
#include "gateway/issuer_link.h"
#include "gateway/methods.h"
#include "gateway/money.h"
#include "gateway/parties.h"
#include "gateway/payment.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/tokens.h"
#include "gateway/txn.h"
#include "gateway/validate.h"
#include "iso8583/iso8583.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct field method_spec[] = {
  { .name = "method",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 1,
    .max_len = 2,
    .offset = offsetof(struct method_body, method) },
  { .name = "installments",
    .type = FIELD_INT,
    .min = 2,
    .max = 99,
    .offset = offsetof(struct method_body, installments) },
  { 0 },
};

enum refusal { R_NONE, R_ACCESS, R_STATE, R_NOT_OFFERED, R_CARD, R_DISABLED, R_DB };

struct choice {
  struct request *rq;
  struct begin_auth_in in;
  char key[SESSION_TOKEN_LEN + 1], transmission_time[11], digest[65];
  enum txn_access access;
  enum refusal refusal;
  char status[32];
  const char *disabled; /* R_DISABLED: the reason (static text) */
  struct begin_auth_out got;
  struct payment pay; /* what step 2 sends, filled by step 1 */
};

/* Ends the transaction (still awaiting_method) as `status` with the
 * handset told: a party disabled since device-auth (declined, nothing
 * sent), or a card that does not decrypt (failed, nothing sent). */
static void end_here(struct choice *c, const char *status, const char *code, const char *reason,
                     enum refusal on_success)
{
  struct txn_ref ref = { .id = "" };
  char *message = NULL, sig[90];
  struct end_waiting_out out;

  snprintf(ref.number, sizeof ref.number, "%.*s", (int)sizeof ref.number - 1, c->rq->path_param);
  snprintf(ref.user_id, sizeof ref.user_id, "%s", c->got.user_id[0] ? c->got.user_id : c->pay.ref.user_id);
  c->refusal = R_DB;
  if (mailbox_seal(txn_completion_message(&ref, status, NULL, reason), &message, sig) != 0)
    return;
  struct end_waiting_in in = { .number = c->rq->path_param,
                               .session_hash = c->rq->session_hash,
                               .from = "awaiting_method",
                               .status = status,
                               .code = code,
                               .reason = reason,
                               .message = message,
                               .signature = sig };
  if (db_txn_end_waiting(c->rq->db, &in, &out) == DB_ONE_ROW) {
    snprintf(c->status, sizeof c->status, "%s", out.txn_status);
    c->refusal = out.outcome == END_ENDED ? on_success : out.outcome == END_WRONG_STATE ? R_STATE : R_ACCESS;
    c->access = out.outcome == END_UNKNOWN_TXN ? TXN_UNKNOWN : TXN_BAD_SESSION;
  }
  free(message);
}

/* The card changed since the confirmation decrypted it: read and decrypt
 * it again; false when the transaction ended here (or the database failed). */
static bool check_card_again(struct choice *c)
{
  struct txn_card card;
  char pan[20], expiry[5], masked[24];

  if (db_txn_card(c->rq->db, c->rq->path_param, &card) != DB_ONE_ROW) {
    c->refusal = R_DB;
    return false;
  }
  snprintf(c->pay.ref.user_id, sizeof c->pay.ref.user_id, "%s", card.user_id);
  if (methods_card_decrypt(&card, pan, expiry, masked) != 0) {
    end_here(c, "failed", "card_unreadable", METHODS_CARD_UNREADABLE, R_CARD);
    return false;
  }
  OPENSSL_cleanse(pan, sizeof pan);
  snprintf(c->digest, sizeof c->digest, "%s", card.digest);
  c->in.card_digest = c->digest;
  return true;
}

/* Step 1: one call records the authorization (or says why not). */
static void record(struct choice *c)
{
  c->refusal = R_DB;
  if (token_b64url32(c->key) != 0)
    return;
  issuer_transmission_time(c->transmission_time);
  c->in.number = c->rq->path_param;
  c->in.session_hash = c->rq->session_hash;
  c->in.transmission_time = c->transmission_time;
  c->in.call_key = c->key;
  for (int round = 0; round < 3; round++) {
    if (db_txn_begin_auth(c->rq->db, &c->in, &c->got) != DB_ONE_ROW) {
      c->refusal = R_DB;
      return;
    }
    snprintf(c->status, sizeof c->status, "%s", c->got.txn_status);
    switch (c->got.outcome) {
    case BEGIN_RECORDED:
      c->refusal = payment_begin(c->rq->db, &c->pay, &c->got, c->in.method, c->in.installments) == 0 ? R_NONE : R_CARD;
      return;
    case BEGIN_NOT_OFFERED:
      c->refusal = R_NOT_OFFERED;
      return;
    case BEGIN_PARTY_DISABLED:
      c->disabled = parties_inactive_reason(begin_auth_party_status, &c->got);
      end_here(c, "declined", PARTIES_DECLINE_CODE, c->disabled, R_DISABLED);
      return;
    case BEGIN_CARD_UNCHECKED:
      if (!check_card_again(c))
        return;
      break;
    case BEGIN_UNKNOWN_TXN:
    case BEGIN_BAD_SESSION:
      c->access = c->got.outcome == BEGIN_UNKNOWN_TXN ? TXN_UNKNOWN : TXN_BAD_SESSION;
      c->refusal = R_ACCESS;
      return;
    case BEGIN_WRONG_STATE:
      c->refusal = R_STATE;
      return;
    }
  }
  c->refusal = R_DB; /* the card changed under us again and again */
}

static int answer_outcome(struct request *rq, const struct payment *p)
{
  if (p->outcome == PAYMENT_COMPLETED)
    return reply_json(rq, 200,
                      json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:s}", "transaction", rq->path_param, "status",
                                "completed", "approval_code", p->answer.approval_code, "method", p->method,
                                "installments", p->auth.installments, "total", (json_int_t)p->auth.amount, "currency",
                                p->currency_alpha, "card", p->masked));
  if (p->outcome == PAYMENT_DECLINED)
    return reply_json(rq, 200,
                      json_pack("{s:s, s:s, s:{s:s, s:s}}", "transaction", rq->path_param, "status", "declined",
                                "decline", "code", p->answer.response_code, "reason",
                                iso_response_text(p->answer.response_code)));
  if (p->outcome == PAYMENT_UNKNOWN)
    return reply_problem_extra(rq, PROBLEM_DB_UNAVAILABLE, json_pack("{s:s}", "transaction_status", "authorizing"),
                               "the outcome could not be recorded; it will be settled (completed, or failed and "
                               "reversed) and sent to the handset's mailbox and the POS");
  return reply_problem_extra(rq, PROBLEM_ISSUER_UNAVAILABLE, json_pack("{s:s}", "transaction_status", "failed"),
                             "the credit server did not answer in time; the authorization was reversed");
}

int ep_payment_method_post(struct request *rq)
{
  json_t *body = NULL;
  struct method_body in = { 0 };
  struct choice c = { .rq = rq };
  int status;

  if (parse_json_body(rq, method_spec, &in, &body) != 0)
    return rq->status;
  c.in.method = in.method;
  c.in.installments = (int)in.installments; /* 2..99, or 0 when not sent */
  /* nothing is sent unless step 1 committed (nor is a decline or a failure answered) */
  record(&c);
  switch (c.refusal) {
  case R_ACCESS:
    status = txn_reply_access(rq, c.access);
    break;
  case R_STATE:
    status = txn_reply_wrong_state(rq, c.status, "choosing a method");
    break;
  case R_NOT_OFFERED:
    status = CLIENT_FAULT(rq, PROBLEM_METHOD_NOT_OFFERED, "method %s%s is not offered for this card at this shop",
                          c.in.method, c.in.installments ? " with that installment count" : "");
    break;
  case R_CARD:
    status = BUG_PROBLEM(rq, PROBLEM_CARD_UNREADABLE, json_pack("{s:s}", "transaction_status", "failed"),
                         "%s; the transaction failed", METHODS_CARD_UNREADABLE);
    break;
  case R_DISABLED:
    status = reply_json(rq, 200,
                        json_pack("{s:s, s:s, s:{s:s, s:s}}", "transaction", rq->path_param, "status", "declined",
                                  "decline", "code", PARTIES_DECLINE_CODE, "reason", c.disabled));
    break;
  case R_DB:
    status = reply_db_failed(rq, "the database is not reachable");
    break;
  case R_NONE:
  default:
    payment_send_and_finish(rq->db, &c.pay); /* steps 2 and 3 */
    status = answer_outcome(rq, &c.pay);
    break;
  }
  metrics_payment(c.refusal == R_NONE       ? payment_outcome_word(c.pay.outcome)
                  : c.refusal == R_CARD     ? "failed"
                  : c.refusal == R_DISABLED ? "declined"
                                            : NULL);
  payment_wipe(&c.pay);
  json_decref(body);
  return status;
}
