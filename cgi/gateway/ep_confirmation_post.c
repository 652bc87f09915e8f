/* ep_confirmation_post.c — POST /v1/transactions/{number}/confirmation: the
 * shopper agrees or not ([0087]).  Not agreeing cancels.  Agreeing finds the
 * card's issuer (fig 9) and the methods this merchant takes for it (fig 10):
 * none at all declines the payment with that reason.
 * The card is decrypted in the worker, never in the database.  Device-auth
 * kept the card and issuer the worker found when it cached the user, so
 * the usual confirmation is one call (db/txn_confirm.c, gateway.do_confirm).
 * When there is none (or the card changed since), and to decline or fail,
 * which needs a signed completion for the handset, the call answers
 * card_unchecked: the worker then reads the card (db/txn_card.c), finds its
 * issuer, prepares the ending and calls again. */
#include "gateway/db/card.h"
#include "gateway/db/handset.h"
#include "gateway/endpoints.h"
#include "gateway/mailbox.h"
#include "gateway/metrics.h"
#include "gateway/methods.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/timefmt.h"
#include "gateway/tokens.h"
#include "gateway/txn.h"
#include "gateway/validate.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct field confirmation_spec[] = {
  { .name = "agree", .type = FIELD_BOOL, .required = true, .offset = offsetof(struct confirmation_body, agree) },
  { 0 },
};

#define NOT_ACCEPTED "this shop does not take cards of this issuer"
#define NOT_AGREED "the shopper did not agree"

struct confirmation {
  struct confirm_in in;
  struct txn_card card;
  char issuer[24], digest[65];
  char *message; /* the completion prepared (malloc'd), or NULL */
  char signature[90];
};

/* Reads the card, decrypts it and finds its issuer; prepares the ending
 * (failed when it does not decrypt, declined should the merchant take
 * nothing of its issuer).  -1 when the database or the signing failed. */
static int prepare_agreed(struct request *rq, struct confirmation *c)
{
  enum db_status st = db_txn_card(rq->db, rq->path_param, &c->card);

  if (st < 0)
    return -1;
  c->in.card_digest = NULL;
  if (st != DB_ONE_ROW || strcmp(c->card.status, "awaiting_confirmation") != 0 || c->card.overdue
      || strlen(c->card.session_hash) != 64 || CRYPTO_memcmp(c->card.session_hash, rq->session_hash, 64) != 0)
    return 0; /* refused: the call says why (and expires an overdue one) */
  snprintf(c->digest, sizeof c->digest, "%s", c->card.digest);
  c->in.card_digest = c->digest;
  st = methods_card_issuer(rq->db, &c->card, &c->in.card_readable, c->issuer);
  if (st < 0)
    return -1;
  c->in.issuer_id = st == DB_ONE_ROW ? c->issuer : NULL;
  if (c->in.card_readable) {
    c->in.code = "card_not_accepted";
    c->in.reason = NOT_ACCEPTED;
  } else {
    c->in.code = "card_unreadable";
    c->in.reason = METHODS_CARD_UNREADABLE;
  }
  struct txn_ref ref = { .id = "" };
  snprintf(ref.number, sizeof ref.number, "%s", c->card.number);
  snprintf(ref.user_id, sizeof ref.user_id, "%s", c->card.user_id);
  free(c->message);
  c->message = NULL;
  if (mailbox_seal(txn_completion_message(&ref, c->in.card_readable ? "declined" : "failed", NULL, c->in.reason),
                   &c->message, c->signature)
      != 0)
    return -1;
  c->in.message = c->message;
  c->in.signature = c->signature;
  return 0;
}

static int answer(struct request *rq, const struct confirm_out *out, const char *deadline)
{
  switch (out->outcome) {
  case CONFIRM_CONFIRMED:
    return reply_json(rq, 200,
                      json_pack("{s:s, s:s, s:o, s:s}", "transaction", rq->path_param, "status", "awaiting_method",
                                "methods", methods_json(&out->offer), "choose_by", deadline));
  case CONFIRM_CANCELED:
    return reply_json(rq, 200, json_pack("{s:s, s:s}", "transaction", rq->path_param, "status", "canceled"));
  case CONFIRM_DECLINED:
    return reply_json(rq, 200,
                      json_pack("{s:s, s:s, s:{s:s, s:s}}", "transaction", rq->path_param, "status", "declined",
                                "decline", "code", "card_not_accepted", "reason", NOT_ACCEPTED));
  case CONFIRM_CARD_UNREADABLE:
    return BUG_PROBLEM(rq, PROBLEM_CARD_UNREADABLE, json_pack("{s:s}", "transaction_status", "failed"),
                       "%s; the transaction failed", METHODS_CARD_UNREADABLE);
  case CONFIRM_UNKNOWN_TXN:
    return txn_reply_access(rq, TXN_UNKNOWN);
  case CONFIRM_BAD_SESSION:
    return txn_reply_access(rq, TXN_BAD_SESSION);
  case CONFIRM_WRONG_STATE:
    return txn_reply_wrong_state(rq, out->txn_status, "confirmation");
  case CONFIRM_CARD_UNCHECKED: /* the card changed under us again and again */
    break;
  }
  return reply_db_failed(rq, "the database is not reachable");
}

int ep_confirmation_post(struct request *rq)
{
  json_t *body = NULL;
  struct confirmation_body in = { 0 };
  struct confirmation c = { .message = NULL };
  struct confirm_out out = { .outcome = CONFIRM_CARD_UNCHECKED };
  char deadline[RFC3339_LEN], key[SESSION_TOKEN_LEN + 1];
  int status;

  if (parse_json_body(rq, confirmation_spec, &in, &body) != 0)
    return rq->status;
  c.in.agree = in.agree;
  if (token_b64url32(key) != 0) {
    status = BUG(rq, "no random numbers");
    goto out;
  }
  rfc3339(time(NULL) + settings.method_window_s, deadline);
  c.in.number = rq->path_param;
  c.in.session_hash = rq->session_hash;
  c.in.deadline = deadline;
  c.in.call_key = key;
  if (!c.in.agree)
    c.in.reason = NOT_AGREED;
  /* agreeing: first with the card device-auth kept; else read and decrypted
   * here, and again should it change meanwhile */
  for (int round = 0; round < 4 && out.outcome == CONFIRM_CARD_UNCHECKED; round++) {
    if (c.in.agree && round > 0 && prepare_agreed(rq, &c) != 0) {
      status = reply_db_failed(rq, "the database is not reachable");
      goto out;
    }
    if (db_txn_confirm(rq->db, &c.in, &out) != DB_ONE_ROW) {
      status = reply_db_failed(rq, "the database is not reachable");
      goto out;
    }
  }
  status = answer(rq, &out, deadline);
  metrics_payment(out.outcome == CONFIRM_CANCELED          ? "canceled"
                  : out.outcome == CONFIRM_DECLINED        ? "declined"
                  : out.outcome == CONFIRM_CARD_UNREADABLE ? "failed"
                                                           : NULL);
out:
  free(c.message);
  json_decref(body);
  return status;
}
