/* ep_confirmation_post.c — POST /v1/transactions/{number}/confirmation: the
 * shopper agrees or not ([0087]).  Not agreeing cancels.  Agreeing finds the
 * card's issuer (fig 9) and the methods this merchant takes for it (fig 10):
 * none at all declines the payment with that reason. */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/methods.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/timefmt.h"
#include "gateway/txn.h"
#include "gateway/validate.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

const struct field confirmation_spec[] = {
  { .name = "agree", .type = FIELD_BOOL, .required = true, .offset = offsetof(struct confirmation_body, agree) },
  { 0 }
};

#define NOT_ACCEPTED "this shop does not take cards of this issuer"

struct confirmation {
  struct request *rq;
  bool agree;
  enum txn_access access;
  char status[32];          /* the state before, or the new one on success */
  bool changed;
  bool card_unreadable;     /* the card did not decrypt: the transaction failed */
  json_t *answer;
};

/* Finds the methods; moves to awaiting_method, or to declined when none. */
static enum db_status agree(struct db *db, struct confirmation *c, PGresult *txn)
{
  char pan[20], expiry[5], masked[24], issuer[24] = "", deadline[RFC3339_LEN];
  struct method_offer offer = { 0 };
  enum db_status st;

  if (methods_card_pan(txn, pan, expiry, masked) != 0) {
    c->card_unreadable = true;
    return methods_fail_unreadable_card(db, txn, "awaiting_confirmation");
  }
  st = methods_issuer_for_pan(db, pan, issuer);
  OPENSSL_cleanse(pan, sizeof pan);
  if (st < 0)
    return st;
  if (st == DB_ONE_ROW && (st = methods_offer(db, db_text(txn, 0, "merchant_id"), issuer, &offer)) < 0)
    return st;
  if (!offer.found) {
    struct db_params params;
    db_params_init(&params);
    db_param_text(&params, db_text(txn, 0, "id"));
    db_param_text(&params, "declined");
    db_param_text(&params, "awaiting_confirmation");
    db_param_text(&params, "card_not_accepted");
    db_param_text(&params, NOT_ACCEPTED);
    db_param_text(&params, NULL);
    if ((st = db_call(db, &q_txn_finish, &params, NULL)) != DB_ONE_ROW)
      return st < 0 ? st : DB_ABORT;
    c->answer = json_pack("{s:s, s:s, s:{s:s, s:s}}", "transaction", c->rq->path_param, "status", "declined",
                          "decline", "code", "card_not_accepted", "reason", NOT_ACCEPTED);
    struct txn_ref ref;
    txn_ref_from(txn, &ref);
    return txn_notify_handset(db, &ref, "declined", NULL, NOT_ACCEPTED);
  }
  rfc3339(time(NULL) + settings.method_window_s, deadline);
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, db_text(txn, 0, "id"));
  db_param_text(&params, issuer);
  db_param_text(&params, deadline);
  if ((st = db_call(db, &q_txn_confirmed, &params, NULL)) != DB_ONE_ROW)
    return st < 0 ? st : DB_ABORT;
  c->answer = json_pack("{s:s, s:s, s:o, s:s}", "transaction", c->rq->path_param, "status", "awaiting_method",
                        "methods", methods_json(&offer), "choose_by", deadline);
  return DB_ONE_ROW;
}

static enum db_status confirm_in_db(struct db *db, void *ctx)
{
  struct confirmation *c = ctx;
  PGresult *txn;
  enum db_status st;

  c->changed = false;
  c->card_unreadable = false;
  json_decref(c->answer);
  c->answer = NULL;
  if ((c->access = txn_lock_for_session(db, c->rq, &txn)) != TXN_OK)
    return c->access == TXN_DB_ERROR ? DB_HARD_ERROR : DB_ABORT;
  snprintf(c->status, sizeof c->status, "%s", db_text(txn, 0, "status"));
  if (strcmp(c->status, "awaiting_confirmation") != 0) {
    PQclear(txn);
    return DB_NO_ROWS;      /* refused; commits an expiry txn_lock applied */
  }
  if (c->agree) {
    st = agree(db, c, txn);
  } else {
    struct db_params params;
    db_params_init(&params);
    db_param_text(&params, db_text(txn, 0, "id"));
    db_param_text(&params, "canceled");
    db_param_text(&params, "awaiting_confirmation");
    db_param_text(&params, NULL);
    db_param_text(&params, "the shopper did not agree");
    db_param_text(&params, NULL);
    st = db_call(db, &q_txn_finish, &params, NULL);
    if (st == DB_ONE_ROW)
      c->answer = json_pack("{s:s, s:s}", "transaction", c->rq->path_param, "status", "canceled");
    else if (st == DB_NO_ROWS)
      st = DB_ABORT;
  }
  c->changed = st >= 0;
  PQclear(txn);
  return st;
}

int ep_confirmation_post(struct request *rq)
{
  json_t *body = NULL;
  struct confirmation_body in = { 0 };
  struct confirmation c = { .rq = rq };
  int status;

  if (parse_json_body(rq, confirmation_spec, &in, &body) != 0)
    return rq->status;
  c.agree = in.agree;
  enum db_status st = db_run_transaction(rq->db, "confirmation", confirm_in_db, &c);
  if (c.access != TXN_OK)
    status = txn_reply_access(rq, c.access);
  else if (st >= 0 && c.changed && c.card_unreadable)
    status = BUG_PROBLEM(rq, PROBLEM_CARD_UNREADABLE, json_pack("{s:s}", "transaction_status", "failed"),
                         "%s; the transaction failed", METHODS_CARD_UNREADABLE);
  else if (st >= 0 && c.changed && c.answer)
    status = reply_json(rq, 200, json_incref(c.answer));
  else if (st >= 0 || st == DB_ABORT)
    status = txn_reply_wrong_state(rq, c.status, "confirmation");
  else
    status = reply_db_failed(rq, "the database is not reachable");
  json_decref(c.answer);
  json_decref(body);
  return status;
}
