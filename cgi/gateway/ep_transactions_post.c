/* ep_transactions_post.c — POST /v1/transactions: a POS terminal or shop
 * server asks for a transaction number (S3, S4).  A well-formed request
 * first spends one of the terminal's allowance (rate_limit.c, 429
 * rate_limited beyond it).  Then in one database transaction: the
 * Idempotency-Key is claimed, the user's row locked and its open
 * transactions counted (409 too_many_open at PAYGW_MAX_OPEN_PER_USER, issue
 * 4), the transaction stored, and a signed payment command put in the
 * user's mailbox (S5, [0096]).  A refusal rolls it all back, key included. */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/mailbox.h"
#include "gateway/money.h"
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
  { .name = "name", .type = FIELD_STRING, .required = true, .min_len = 1, .max_len = 80,
    .offset = offsetof(struct item, name) },
  { .name = "quantity", .type = FIELD_INT, .required = true, .min = 1, .max = 9999,
    .offset = offsetof(struct item, quantity) },
  { .name = "unit_price", .type = FIELD_INT, .required = true, .min = 0, .max = 10000000000LL,
    .offset = offsetof(struct item, unit_price) },
  { .name = "tax", .type = FIELD_INT, .required = true, .min = 0, .max = 10000000000LL,
    .offset = offsetof(struct item, tax) },
  { 0 }
};

const struct field transaction_spec[] = {
  { .name = "user_id", .type = FIELD_CODE, .required = true, .min_len = 1, .max_len = 32,
    .offset = offsetof(struct transaction_body, user_id) },
  { .name = "currency", .type = FIELD_CODE, .required = true, .min_len = 3, .max_len = 3,
    .offset = offsetof(struct transaction_body, currency) },
  { .name = "items", .type = FIELD_ARRAY, .required = true, .min_len = 1, .max_len = ITEMS_MAX,
    .members = item_spec, .offset = offsetof(struct transaction_body, items),
    .size = FIELD_SIZEOF(struct transaction_body, items), .item_size = sizeof(struct item),
    .count_offset = offsetof(struct transaction_body, n_items) },
  { .name = "reference", .type = FIELD_STRING, .min_len = 1, .max_len = 64,
    .offset = offsetof(struct transaction_body, reference) },
  { 0 }
};

enum outcome { OUT_CREATED, OUT_REPLAY, OUT_CONFLICT, OUT_UNKNOWN_USER, OUT_TOO_MANY_OPEN };

struct new_txn {
  struct request *rq;
  const struct transaction_body *in;
  const char *idem_key;              /* NULL without an Idempotency-Key */
  char request_hash[65];
  int64_t total, tax_total;
  enum outcome outcome;
  int replay_status;
  long open;                         /* the user's open transactions */
  char *answer;                      /* the JSON answered (malloc'd) */
};

/* Claims the key; on a second use, decides replay or conflict. */
static enum db_status claim_key(struct db *db, struct new_txn *t, bool *claimed)
{
  char terminal_id[24];
  PGresult *res;

  snprintf(terminal_id, sizeof terminal_id, "%" PRId64, t->rq->terminal.terminal_id);
  const char *params[] = { terminal_id, t->idem_key, t->request_hash };
  enum db_status st = db_run(db, &q_idem_claim, params);
  if (st < 0 || st == DB_ONE_ROW) {
    *claimed = st == DB_ONE_ROW;
    return st;
  }
  *claimed = false;
  st = db_exec(db, &q_idem_get, params, &res);
  if (st != DB_ONE_ROW) {
    if (st >= 0)
      PQclear(res);
    return st < 0 ? st : DB_HARD_ERROR;
  }
  if (strcmp(db_get(res, 0, "request_hash"), t->request_hash) != 0) {
    t->outcome = OUT_CONFLICT;
  } else {
    t->outcome = OUT_REPLAY;
    t->replay_status = atoi(db_get(res, 0, "response_status"));
    t->answer = strdup(db_get(res, 0, "response_body"));
  }
  PQclear(res);
  return DB_ONE_ROW;
}

static json_t *payment_command(const char *number, const char *user_id, const char *device_code,
                               const char *challenge, const char *binding, const char *issued,
                               const char *expires)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "payment_command",
                   "transaction", number, "user_id", user_id, "device_id", device_code,
                   "challenge", challenge, "binding_code", binding, "issued_at", issued,
                   "expires_at", expires);
}

/* The answer to the terminal, which is also what a replay gets. */
static char *answer_text(const struct new_txn *t, const char *number, const char *binding, const char *now_text,
                         const char *deadline)
{
  json_t *answer = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "transaction", number,
                             "status", "awaiting_device", "binding_code", binding, "total", (json_int_t)t->total,
                             "tax_total", (json_int_t)t->tax_total, "currency", t->in->currency,
                             "created_at", now_text, "expires_at", deadline);
  if (t->in->reference)
    json_object_set_new(answer, "reference", json_string(t->in->reference));
  json_object_set_new(answer, "merchant", json_pack("{s:s, s:s}", "code", t->rq->terminal.merchant_code,
                                                    "name", t->rq->terminal.merchant_name));
  json_object_set_new(answer, "shop", json_string(t->rq->terminal.shop_name));
  char *text = json_dumps(answer, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(answer);
  return text;
}

/* Stores the transaction, its signed payment command and the idempotent
 * answer in one statement (q_txn_insert); fills t->answer. */
static enum db_status store(struct db *db, struct new_txn *t, PGresult *user)
{
  char number[TXN_NUMBER_LEN + 1], binding[BINDING_CODE_LEN + 1], challenge[CHALLENGE_LEN + 1];
  char deadline[RFC3339_LEN], now_text[RFC3339_LEN], merchant[24], terminal[24], total[24], tax[24], sig[90];
  char *items = NULL, *command = NULL;
  time_t now = time(NULL);
  const char *user_id = db_get(user, 0, "user_id");
  enum db_status st = DB_HARD_ERROR;
  PGresult *res;

  if (token_txn_number(number) || token_binding_code(binding) || token_b64url32(challenge))
    return DB_HARD_ERROR;
  rfc3339(now, now_text);
  rfc3339(now + settings.device_window_s, deadline);
  items = items_json_text(t->in->items, t->in->n_items);
  t->answer = answer_text(t, number, binding, now_text, deadline);
  if (!items || !t->answer
      || mailbox_seal(payment_command(number, user_id, db_get(user, 0, "device_code"), challenge, binding,
                                      now_text, deadline), &command, sig) != 0)
    goto out;
  snprintf(merchant, sizeof merchant, "%" PRId64, t->rq->terminal.merchant_id);
  snprintf(terminal, sizeof terminal, "%" PRId64, t->rq->terminal.terminal_id);
  snprintf(total, sizeof total, "%" PRId64, t->total);
  snprintf(tax, sizeof tax, "%" PRId64, t->tax_total);
  const char *params[] = { number, user_id, db_get(user, 0, "card_id"), db_get(user, 0, "device_id"),
                           merchant, terminal, deadline,
                           t->in->currency, total, tax, items, t->in->reference, binding, challenge, command, sig,
                           t->answer, t->idem_key };
  st = db_exec(db, &q_txn_insert, params, &res);
  if (st == DB_ONE_ROW) {
    t->outcome = OUT_CREATED;
    PQclear(res);
  } else if (st >= 0) {
    PQclear(res);
    st = DB_HARD_ERROR;
  }
out:
  free(items);
  free(command);
  return st;
}

/* The user's open transactions, counted after q_user_for_new_txn locked the
 * user's row: a concurrent creation for the same user has committed (and is
 * counted) or waits for ours. */
static enum db_status count_open(struct db *db, const char *user_id, long *open)
{
  PGresult *res;
  const char *params[] = { user_id };
  enum db_status st = db_exec(db, &q_user_open_count, params, &res);

  if (st < 0)
    return st;
  *open = st == DB_ONE_ROW ? strtol(db_get(res, 0, "open"), NULL, 10) : 0;
  PQclear(res);
  return DB_ONE_ROW;
}

static enum db_status create_in_db(struct db *db, void *ctx)
{
  struct new_txn *t = ctx;
  PGresult *user;
  enum db_status st;

  free(t->answer);
  t->answer = NULL;
  if (t->idem_key) {
    bool claimed;
    st = claim_key(db, t, &claimed);
    if (st < 0 || !claimed)
      return st;
  }
  const char *uparams[] = { t->in->user_id };
  st = db_exec(db, &q_user_for_new_txn, uparams, &user);
  if (st < 0)
    return st;
  if (st == DB_NO_ROWS) {
    PQclear(user);
    t->outcome = OUT_UNKNOWN_USER;
    return DB_ABORT;   /* and the claimed key with it */
  }
  if ((st = count_open(db, uparams[0], &t->open)) >= 0 && t->open >= settings.max_open_per_user) {
    t->outcome = OUT_TOO_MANY_OPEN;
    st = DB_ABORT;     /* the key too: it makes the transaction once one has ended */
  } else if (st >= 0) {
    st = store(db, t, user);
  }
  PQclear(user);
  return st;
}

static int answer(struct request *rq, struct new_txn *t, enum db_status st)
{
  switch (t->outcome) {
  case OUT_UNKNOWN_USER:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_USER, "no active user %s", t->in->user_id);
  case OUT_TOO_MANY_OPEN:
    return CLIENT_FAULT_EXTRA(rq, PROBLEM_TOO_MANY_OPEN, json_pack("{s:i}", "limit", (int)settings.max_open_per_user),
                              "user ID %s has %ld open transactions, the most allowed: one must end (completed, "
                              "declined, canceled or expired) before another is made",
                              t->in->user_id, t->open);
  case OUT_CONFLICT:
    return CLIENT_FAULT(rq, PROBLEM_IDEMPOTENCY_CONFLICT, "this Idempotency-Key was used with another request");
  case OUT_REPLAY:
    if (!t->answer || t->replay_status == 0)
      break;
    reply_add_header(rq, "Idempotency-Replayed: true");
    return reply_raw_json(rq, t->replay_status, t->answer);
  case OUT_CREATED:
    if (st >= 0 && t->answer)
      return reply_raw_json(rq, 201, t->answer);
    break;
  }
  return reply_db_failed(rq, "the transaction could not be stored; try again");
}

int ep_transactions_post(struct request *rq)
{
  json_t *body = NULL;
  struct transaction_body in = { 0 };
  struct new_txn t = { .rq = rq, .in = &in, .outcome = OUT_CREATED };
  int status;

  if (parse_json_body(rq, transaction_spec, &in, &body) != 0)
    return rq->status;
  t.idem_key = request_header(rq, "HTTP_IDEMPOTENCY_KEY");
  if (t.idem_key && !token_is_code(t.idem_key, 64)) {
    status = CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "Idempotency-Key must be 1-64 of [A-Za-z0-9_-]");
    goto out;
  }
  if (!currency_by_alpha(in.currency)) {
    status = CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "currency: not taken here (JPY, USD, EUR, GBP)");
    goto out;
  }
  if (items_total(in.items, in.n_items, &t.total, &t.tax_total) != 0) {
    status = CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "items: the total is over the limit (%s minor units)",
                          MONEY_MAX_TOTAL_TEXT);
    goto out;
  }
  /* an issuer refuses to authorize nothing (ISO 8583 code 30): say so now,
   * not after the shopper has agreed on the handset */
  if (t.total == 0) {
    status = CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "items: the total must be more than 0");
    goto out;
  }
  if (rate_limit_terminal(rq, &status))
    goto out;
  if (t.idem_key) {
    char *canonical = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    token_sha256_hex(canonical ? canonical : "", t.request_hash);
    free(canonical);
  }
  enum db_status st = db_run_transaction(rq->db, "create transaction", create_in_db, &t);
  status = answer(rq, &t, st);
out:
  free(t.answer);
  json_decref(body);
  return status;
}
