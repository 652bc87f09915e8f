/* ep_tokens_post.c — POST /v1/tokens (second embodiment, [0149]-[0152]): a
 * POS terminal asks for an encrypted card number for one sale of the user
 * ID the shopper gave.  The body is POST /v1/transactions's (the same
 * table, bounds and totals); the Idempotency-Key is required.  One call at
 * the database (db/token_create.c, gateway.do_create_token): the
 * terminal's allowance, the key, the user (unknown or disabled: 404, nothing
 * kept), then the request stored: rejected at once when the user is locked
 * or the card is missing or expired ([0157]-[0158]: nothing reaches the
 * issuer), else awaiting the shopper's reply with the signed
 * token_confirmation in the handset's mailbox. */
#include "gateway/cache.h"
#include "gateway/db/token.h"
#include "gateway/endpoints.h"
#include "gateway/mailbox.h"
#include "gateway/money.h"
#include "gateway/post_checks.h"
#include "gateway/rate_limit.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/timefmt.h"
#include "gateway/token_request.h"
#include "gateway/tokens.h"
#include "gateway/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct new_token {
  struct request *rq;
  const struct transaction_body *in;
  const char *idem_key;
  char request_hash[65];
  int64_t total, tax_total;
  struct token_created got;
};

/* The confirmation names the user's handset, which only the database knows
 * for sure: signed for the one the worker's cache remembers, and again for
 * the one the database answers with sign_again. */
static enum db_status create_in_db(struct new_token *t)
{
  char id[TOKEN_REQUEST_ID_LEN + 1], binding[BINDING_CODE_LEN + 1], deadline[RFC3339_LEN], device[33] = "", sig[90];
  const struct currency *cur = currency_by_alpha(t->in->currency);
  const char *cached = cache_user_device(t->in->user_id);
  char *items = NULL, *message = NULL;
  enum db_status st = DB_HARD_ERROR;

  if (public_id_new(TOKEN_REQUEST_ID_PREFIX, id) || token_binding_code(binding))
    return DB_HARD_ERROR;
  rfc3339(time(NULL) + settings.token_reply_s, deadline);
  if (!(items = items_json_text(t->in->items, t->in->n_items)))
    return DB_HARD_ERROR;
  if (cached)
    snprintf(device, sizeof device, "%s", cached);
  struct token_new in = {
    .terminal_id = t->rq->terminal.terminal_id,
    .merchant_id = t->rq->terminal.merchant_id,
    .rate_interval_s = settings.terminal_rate_interval_s,
    .rate_tolerance_s = settings.terminal_rate_tolerance_s,
    .idem_key = t->idem_key,
    .request_hash = t->request_hash,
    .user_id = t->in->user_id,
    .id = id,
    .reply_deadline = deadline,
    .currency = t->in->currency,
    .currency_numeric = cur->numeric,
    .total = t->total,
    .tax_total = t->tax_total,
    .items = items,
    .reference = t->in->reference,
    .binding_code = binding,
  };
  for (int round = 0; round < 2; round++) {
    free(message);
    message = NULL;
    in.device_code = in.message = in.signature = NULL;
    if (*device) {
      struct token_confirmation c = { .id = id,
                                      .user_id = t->in->user_id,
                                      .device_id = device,
                                      .merchant = t->rq->terminal.merchant_code,
                                      .shop = t->rq->terminal.shop_name,
                                      .currency = t->in->currency,
                                      .binding_code = binding,
                                      .reply_deadline = deadline,
                                      .items = items,
                                      .total = t->total,
                                      .tax_total = t->tax_total };
      if (mailbox_seal(token_confirmation_message(&c), &message, sig) != 0)
        goto out;
      in.device_code = device;
      in.message = message;
      in.signature = sig;
    }
    free(t->got.body);
    st = db_token_create(t->rq->db, &in, &t->got);
    if (st != DB_ONE_ROW || t->got.outcome != TOKEN_SIGN_AGAIN)
      break;
    snprintf(device, sizeof device, "%s", t->got.device_code);
  }
  if (st == DB_ONE_ROW && t->got.outcome == TOKEN_CREATED)
    cache_user_device_put(t->in->user_id, device);
out:
  free(items);
  free(message);
  return st;
}

static int answer(struct request *rq, struct new_token *t, enum db_status st)
{
  if (st != DB_ONE_ROW)
    return reply_db_failed(rq, "the token request could not be stored; try again with the same Idempotency-Key");
  switch (t->got.outcome) {
  case TOKEN_CREATED:
    if (t->got.body)
      return reply_raw_json(rq, 201, t->got.body);
    break;
  case TOKEN_REPLAYED:
    if (!t->got.body || t->got.replay_status == 0)
      break;
    reply_add_header(rq, "Idempotency-Replayed: true");
    return reply_raw_json(rq, t->got.replay_status, t->got.body);
  case TOKEN_RATE_LIMITED:
    return rate_limit_reply(rq, t->got.wait_s);
  case TOKEN_UNKNOWN_USER:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_USER, "no active user %s", t->in->user_id);
  case TOKEN_CONFLICT:
    return CLIENT_FAULT(rq, PROBLEM_IDEMPOTENCY_CONFLICT, "this Idempotency-Key was used with another request");
  case TOKEN_SIGN_AGAIN: /* the user's handset changed twice meanwhile */
  case TOKEN_KEY_LOST:
    break;
  }
  return reply_db_failed(rq, "the token request could not be stored; try again with the same Idempotency-Key");
}

int ep_tokens_post(struct request *rq)
{
  json_t *body = NULL;
  struct transaction_body in = { 0 };
  struct new_token t = { .rq = rq, .in = &in };
  int status;

  if (parse_json_body(rq, transaction_spec, &in, &body) != 0)
    return rq->status;
  if (idempotency_key_read(rq, true, &t.idem_key) != 0 || sale_body_check(rq, &in, &t.total, &t.tax_total) != 0)
    status = rq->status;
  else {
    token_request_hash(body, t.request_hash);
    status = answer(rq, &t, create_in_db(&t));
  }
  free(t.got.body);
  json_decref(body);
  return status;
}
