/* ep_payment_method_post.c — POST /v1/transactions/{number}/payment-method:
 * the shopper's choice (S9) and the authorization at the credit server
 * (S10-S14).  Exactly once toward the credit server:
 *   1. one database transaction checks that the card, user ID, handset,
 *      subscriber, issuer, merchant and terminal are still enrolled
 *      (parties.c: any disabled since device-auth declines the payment
 *      here, `enrolment_disabled`, and nothing is sent), then moves
 *      awaiting_method → authorizing and records the authorization (STAN,
 *      time) BEFORE anything is sent;
 *   2. the 0100 goes out and the 0110 is awaited within the time-out;
 *   3. a second database transaction records the answer, ends the payment
 *      and tells the handset's mailbox — or, with no answer, marks it failed
 *      with its reversal due and wakes paygw-sweeper (sweep.c), which sends
 *      the 0400 (then 0401 repeats with back-off) and also reverses
 *      authorizations left "sent" by a worker that died between steps 1
 *      and 3.  The worker itself never sends a reversal. */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/issuer_link.h"
#include "gateway/methods.h"
#include "gateway/money.h"
#include "gateway/parties.h"
#include "gateway/payment.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/txn.h"
#include "gateway/validate.h"
#include "iso8583/iso8583.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct field method_spec[] = {
  { .name = "method", .type = FIELD_CODE, .required = true, .min_len = 1, .max_len = 2,
    .offset = offsetof(struct method_body, method) },
  { .name = "installments", .type = FIELD_INT, .min = 2, .max = 99, .offset = offsetof(struct method_body, installments) },
  { 0 }
};

enum refusal { R_NONE, R_ACCESS, R_STATE, R_NOT_OFFERED, R_CARD, R_DISABLED, R_DB };

struct choice {
  struct request *rq;
  const char *method;
  int installments;
  enum txn_access access;
  enum refusal refusal;
  char status[32];
  const char *disabled;      /* R_DISABLED: the reason (static text) */
  struct payment pay;        /* what step 2 sends, filled by step 1 */
};

/* A party was disabled after device-auth: the payment ends declined, the
 * handset's mailbox is told, and nothing goes to the credit server. */
static enum db_status decline_disabled(struct db *db, PGresult *txn, const char *reason)
{
  struct txn_ref ref;
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, db_text(txn, 0, "id"));
  db_param_text(&params, "declined");
  db_param_text(&params, "awaiting_method");
  db_param_text(&params, PARTIES_DECLINE_CODE);
  db_param_text(&params, reason);
  db_param_text(&params, NULL);
  enum db_status st = db_call(db, &q_txn_finish, &params, NULL);

  if (st != DB_ONE_ROW)
    return st < 0 ? st : DB_HARD_ERROR;   /* the row is locked in awaiting_method: cannot miss */
  txn_ref_from(txn, &ref);
  return txn_notify_handset(db, &ref, "declined", NULL, reason);
}

/* Step 1. */
static enum db_status record_in_db(struct db *db, void *ctx)
{
  struct choice *c = ctx;
  PGresult *txn;
  struct method_offer offer;
  enum db_status st;

  c->refusal = R_DB;
  if ((c->access = txn_lock_for_session(db, c->rq, &txn)) != TXN_OK) {
    c->refusal = R_ACCESS;
    return c->access == TXN_DB_ERROR ? DB_HARD_ERROR : DB_ABORT;
  }
  snprintf(c->status, sizeof c->status, "%s", db_text(txn, 0, "status"));
  if (strcmp(c->status, "awaiting_method") != 0) {
    c->refusal = R_STATE;
    st = DB_NO_ROWS;        /* refused; commits an expiry txn_lock applied */
  } else if ((st = methods_offer(db, db_text(txn, 0, "merchant_id"), db_text(txn, 0, "issuer_id"), &offer)) >= 0
             && !methods_allows(&offer, c->method, c->installments)) {
    c->refusal = R_NOT_OFFERED;
    st = DB_NO_ROWS;
  } else if (st >= 0 && (st = parties_check(db, db_text(txn, 0, "id"), &c->disabled)) >= 0 && c->disabled) {
    c->refusal = R_DISABLED;
    st = decline_disabled(db, txn, c->disabled);
  } else if (st >= 0) {
    st = payment_begin(db, txn, c->method, c->installments, &c->pay);
    if (c->pay.card_unreadable && st >= 0) {
      c->refusal = R_CARD;               /* the failure is committed, nothing sent */
    } else if (st == DB_NO_ROWS) {
      c->refusal = R_STATE;
      st = DB_ABORT;
    } else if (st >= 0) {
      c->refusal = R_NONE;
    }
  }
  PQclear(txn);
  return st;
}

static int answer_outcome(struct request *rq, const struct payment *p)
{
  if (p->outcome == PAYMENT_COMPLETED)
    return reply_json(rq, 200, json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:s}", "transaction", rq->path_param,
                                         "status", "completed", "approval_code", p->answer.approval_code,
                                         "method", p->method, "installments", p->auth.installments,
                                         "total", (json_int_t)p->auth.amount, "currency", p->currency_alpha,
                                         "card", p->masked));
  if (p->outcome == PAYMENT_DECLINED)
    return reply_json(rq, 200, json_pack("{s:s, s:s, s:{s:s, s:s}}", "transaction", rq->path_param,
                                         "status", "declined", "decline", "code", p->answer.response_code,
                                         "reason", iso_response_text(p->answer.response_code)));
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
  c.method = in.method;
  c.installments = (int)in.installments;    /* 2..99, or 0 when not sent */
  /* nothing is sent unless step 1 committed (nor is a decline or a failure answered) */
  if (db_run_transaction(rq->db, "record authorization", record_in_db, &c) < 0
      && (c.refusal == R_NONE || c.refusal == R_CARD || c.refusal == R_DISABLED))
    c.refusal = R_DB;
  switch (c.refusal) {
  case R_ACCESS:
    status = txn_reply_access(rq, c.access);
    break;
  case R_STATE:
    status = txn_reply_wrong_state(rq, c.status, "choosing a method");
    break;
  case R_NOT_OFFERED:
    status = CLIENT_FAULT(rq, PROBLEM_METHOD_NOT_OFFERED, "method %s%s is not offered for this card at this shop",
                          c.method, c.installments ? " with that installment count" : "");
    break;
  case R_CARD:
    status = BUG_PROBLEM(rq, PROBLEM_CARD_UNREADABLE, json_pack("{s:s}", "transaction_status", "failed"),
                         "%s; the transaction failed", METHODS_CARD_UNREADABLE);
    break;
  case R_DISABLED:
    status = reply_json(rq, 200, json_pack("{s:s, s:s, s:{s:s, s:s}}", "transaction", rq->path_param,
                                           "status", "declined", "decline", "code", PARTIES_DECLINE_CODE,
                                           "reason", c.disabled));
    break;
  case R_DB:
    status = reply_db_failed(rq, "the database is not reachable");
    break;
  case R_NONE:
  default:
    payment_send_and_finish(rq->db, &c.pay);           /* steps 2 and 3 */
    status = answer_outcome(rq, &c.pay);
    break;
  }
  payment_wipe(&c.pay);
  json_decref(body);
  return status;
}
