/* ep_transactions_post.c — POST /v1/transactions: a POS terminal or shop
 * server asks for a transaction number (S3, S4).  A well-formed request is
 * one call at the database (db/txn_create.c, gateway.do_create_transaction):
 * it first spends one of the terminal's allowance (rate_limit.c, 429
 * rate_limited beyond it), then claims the Idempotency-Key, locks the
 * user's row and counts its open transactions (409 too_many_open at
 * PAYGW_MAX_OPEN_PER_USER, issue 4), stores the transaction and puts the
 * signed payment command in the user's mailbox (S5, [0096]).  A refusal
 * keeps nothing but the spent allowance, key included. */
#include "gateway/cache.h"
#include "gateway/db/txn.h"
#include "gateway/endpoints.h"
#include "gateway/mailbox.h"
#include "gateway/money.h"
#include "gateway/post_checks.h"
#include "gateway/rate_limit.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/timefmt.h"
#include "gateway/tokens.h"
#include "gateway/validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bounds keep a line's quantity * unit_price + tax within int64 (money.c). */
static const struct field item_spec[] = {
  { .name = "name",
    .type = FIELD_STRING,
    .required = true,
    .min_len = 1,
    .max_len = 80,
    .offset = offsetof(struct item, name) },
  { .name = "quantity",
    .type = FIELD_INT,
    .required = true,
    .min = 1,
    .max = 9999,
    .offset = offsetof(struct item, quantity) },
  { .name = "unit_price",
    .type = FIELD_INT,
    .required = true,
    .min = 0,
    .max = 10000000000LL,
    .offset = offsetof(struct item, unit_price) },
  { .name = "tax",
    .type = FIELD_INT,
    .required = true,
    .min = 0,
    .max = 10000000000LL,
    .offset = offsetof(struct item, tax) },
  { 0 },
};

const struct field transaction_spec[] = {
  { .name = "user_id",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 1,
    .max_len = 32,
    .offset = offsetof(struct transaction_body, user_id) },
  { .name = "currency",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 3,
    .max_len = 3,
    .offset = offsetof(struct transaction_body, currency) },
  { .name = "items",
    .type = FIELD_ARRAY,
    .required = true,
    .min_len = 1,
    .max_len = ITEMS_MAX,
    .members = item_spec,
    .offset = offsetof(struct transaction_body, items),
    .size = FIELD_SIZEOF(struct transaction_body, items),
    .item_size = sizeof(struct item),
    .count_offset = offsetof(struct transaction_body, n_items) },
  { .name = "reference",
    .type = FIELD_STRING,
    .min_len = 1,
    .max_len = 64,
    .offset = offsetof(struct transaction_body, reference) },
  { 0 },
};

struct new_txn {
  struct request *rq;
  const struct transaction_body *in;
  const char *idem_key; /* NULL without an Idempotency-Key */
  char request_hash[65];
  int64_t total, tax_total;
  char *answer;           /* the JSON answered (malloc'd) */
  struct txn_created got; /* what the database made of it */
};

static json_t *payment_command(const char *number, const char *user_id, const char *device_code, const char *challenge,
                               const char *binding, const char *issued, const char *expires)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "payment_command", "transaction", number,
                   "user_id", user_id, "device_id", device_code, "challenge", challenge, "binding_code", binding,
                   "issued_at", issued, "expires_at", expires);
}

/* The answer to the terminal, which is also what a replay gets. */
static char *answer_text(const struct new_txn *t, const char *number, const char *binding, const char *now_text,
                         const char *deadline)
{
  json_t *answer =
      json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "transaction", number, "status", "awaiting_device",
                "binding_code", binding, "total", (json_int_t)t->total, "tax_total", (json_int_t)t->tax_total,
                "currency", t->in->currency, "created_at", now_text, "expires_at", deadline);
  if (t->in->reference)
    json_object_set_new(answer, "reference", json_string(t->in->reference));
  json_object_set_new(
      answer, "merchant",
      json_pack("{s:s, s:s}", "code", t->rq->terminal.merchant_code, "name", t->rq->terminal.merchant_name));
  json_object_set_new(answer, "shop", json_string(t->rq->terminal.shop_name));
  char *text = json_dumps(answer, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(answer);
  return text;
}

/* The payment command names the user's handset, which only the database
 * knows for sure: signed for the one the worker's cache remembers, and
 * signed again when the database answers sign_again with another. */
static enum db_status create_in_db(struct new_txn *t)
{
  char number[TXN_NUMBER_LEN + 1], binding[BINDING_CODE_LEN + 1], challenge[CHALLENGE_LEN + 1];
  char deadline[RFC3339_LEN], now_text[RFC3339_LEN], device[33] = "", sig[90];
  const char *user_id = t->in->user_id;
  const char *cached = cache_user_device(user_id);
  char *items = NULL, *command = NULL;
  time_t now = time(NULL);
  enum db_status st = DB_HARD_ERROR;

  if (token_txn_number(number) || token_binding_code(binding) || token_b64url32(challenge))
    return DB_HARD_ERROR;
  rfc3339(now, now_text);
  rfc3339(now + settings.device_window_s, deadline);
  items = items_json_text(t->in->items, t->in->n_items);
  t->answer = answer_text(t, number, binding, now_text, deadline);
  if (!items || !t->answer)
    goto out;
  if (cached)
    snprintf(device, sizeof device, "%s", cached);
  struct txn_new in = {
    .terminal_id = t->rq->terminal.terminal_id,
    .merchant_id = t->rq->terminal.merchant_id,
    .rate_interval_s = settings.terminal_rate_interval_s,
    .rate_tolerance_s = settings.terminal_rate_tolerance_s,
    .idem_key = t->idem_key,
    .request_hash = t->request_hash,
    .user_id = user_id,
    .max_open = settings.max_open_per_user,
    .number = number,
    .deadline = deadline,
    .currency = t->in->currency,
    .total = t->total,
    .tax_total = t->tax_total,
    .items = items,
    .reference = t->in->reference,
    .binding_code = binding,
    .challenge = challenge,
    .answer = t->answer,
  };
  for (int round = 0; round < 2; round++) {
    free(command);
    command = NULL;
    in.device_code = in.command = in.signature = NULL;
    if (*device) {
      if (mailbox_seal(payment_command(number, user_id, device, challenge, binding, now_text, deadline), &command, sig)
          != 0)
        goto out;
      in.device_code = device;
      in.command = command;
      in.signature = sig;
    }
    st = db_txn_create(t->rq->db, &in, &t->got);
    if (st != DB_ONE_ROW || t->got.outcome != TXN_SIGN_AGAIN)
      break;
    snprintf(device, sizeof device, "%s", t->got.device_code);
  }
  if (st == DB_ONE_ROW && t->got.outcome == TXN_CREATED)
    cache_user_device_put(user_id, device);
out:
  free(items);
  free(command);
  return st;
}

static int answer(struct request *rq, struct new_txn *t, enum db_status st)
{
  if (st != DB_ONE_ROW)
    return reply_db_failed(rq, "the transaction could not be stored; try again");
  switch (t->got.outcome) {
  case TXN_RATE_LIMITED:
    return rate_limit_reply(rq, t->got.wait_s);
  case TXN_UNKNOWN_USER:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_USER, "no active user %s", t->in->user_id);
  case TXN_TOO_MANY_OPEN:
    return CLIENT_FAULT_EXTRA(rq, PROBLEM_TOO_MANY_OPEN, json_pack("{s:i}", "limit", (int)settings.max_open_per_user),
                              "user ID %s has %ld open transactions, the most allowed: one must end (completed, "
                              "declined, canceled or expired) before another is made",
                              t->in->user_id, t->got.open);
  case TXN_CONFLICT:
    return CLIENT_FAULT(rq, PROBLEM_IDEMPOTENCY_CONFLICT, "this Idempotency-Key was used with another request");
  case TXN_REPLAYED:
    if (!t->got.replay_body || t->got.replay_status == 0)
      break;
    reply_add_header(rq, "Idempotency-Replayed: true");
    return reply_raw_json(rq, t->got.replay_status, t->got.replay_body);
  case TXN_CREATED:
    if (t->answer)
      return reply_raw_json(rq, 201, t->answer);
    break;
  case TXN_SIGN_AGAIN: /* the user's handset changed twice meanwhile */
  case TXN_KEY_LOST:
    break;
  }
  return reply_db_failed(rq, "the transaction could not be stored; try again");
}

int ep_transactions_post(struct request *rq)
{
  json_t *body = NULL;
  struct transaction_body in = { 0 };
  struct new_txn t = { .rq = rq, .in = &in };
  int status;

  if (parse_json_body(rq, transaction_spec, &in, &body) != 0)
    return rq->status;
  if (idempotency_key_read(rq, false, &t.idem_key) != 0 || sale_body_check(rq, &in, &t.total, &t.tax_total) != 0) {
    status = rq->status;
    goto out;
  }
  if (t.idem_key)
    idempotency_request_hash(NULL, body, t.request_hash);
  status = answer(rq, &t, create_in_db(&t));
out:
  free(t.answer);
  free(t.got.replay_body);
  json_decref(body);
  return status;
}
