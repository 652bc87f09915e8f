/* txn_create.c — db_txn_create: POST /v1/transactions's whole work at the
 * database in one round trip and one commit (gateway.do_create_transaction,
 * sql/0014): the terminal's allowance, the Idempotency-Key, the user's
 * row locked and its open transactions counted, the new transaction, its
 * signed payment command and the answer kept for replays. */
#include "gateway/db/txn.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

static const char *const outcomes[] = {
  [TXN_CREATED] = "created",
  [TXN_SIGN_AGAIN] = "sign_again",
  [TXN_RATE_LIMITED] = "rate_limited",
  [TXN_REPLAYED] = "replayed",
  [TXN_CONFLICT] = "conflict",
  [TXN_UNKNOWN_USER] = "unknown_user",
  [TXN_TOO_MANY_OPEN] = "too_many_open",
  [TXN_KEY_LOST] = "key_lost",
};

int txn_create_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

enum db_status db_txn_create(struct db *db, const struct txn_new *in, struct txn_created *out)
{
  static struct db_statement st = DB_STATEMENT(
      "txn_create", DB_REPEATABLE, 21,
      "SELECT outcome, device_code, wait_s, open_count, replay_status, replay_body"
      "  FROM gateway.do_create_transaction($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::timestamptz, $12, $13, $14,"
      "                                     $15::jsonb, $16, $17, $18, $19, $20, $21)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_int64(&p, in->terminal_id);
  db_param_int64(&p, in->merchant_id);
  db_param_text(&p, in->rate_interval_s);
  db_param_text(&p, in->rate_tolerance_s);
  db_param_text(&p, in->idem_key);
  db_param_text(&p, in->idem_key ? in->request_hash : NULL);
  db_param_text(&p, in->user_id);
  db_param_text(&p, in->device_code);
  db_param_int64(&p, in->max_open);
  db_param_text(&p, in->number);
  db_param_text(&p, in->deadline);
  db_param_text(&p, in->currency);
  db_param_int64(&p, in->total);
  db_param_int64(&p, in->tax_total);
  db_param_text(&p, in->items);
  db_param_text(&p, in->reference);
  db_param_text(&p, in->binding_code);
  db_param_text(&p, in->challenge);
  db_param_text(&p, in->command);
  db_param_text(&p, in->signature);
  db_param_text(&p, in->answer);
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_create_transaction", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum txn_create_outcome)outcome;
    db_copy(res, 0, "device_code", out->device_code);
    db_copy(res, 0, "wait_s", out->wait_s);
    out->open = (long)db_int64(res, 0, "open_count");
    out->replay_status = (int)db_int64(res, 0, "replay_status");
    if (out->outcome == TXN_REPLAYED && !db_null(res, 0, "replay_body"))
      out->replay_body = strdup(db_text(res, 0, "replay_body"));
  }
  if (res)
    PQclear(res);
  return s;
}
