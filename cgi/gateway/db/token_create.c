/* token_create.c — db_token_create: POST /v1/tokens's whole work at the
 * database in one call (gateway.do_create_token, sql/0021): the terminal's
 * allowance, the Idempotency-Key, the user, the request stored (awaiting
 * the reply, or rejected) with the signed confirmation in the mailbox. */
#include "gateway/db/token.h"
#include "gateway/token_request.h"

#include <stdlib.h>
#include <string.h>

static const char *const outcomes[] = {
  [TOKEN_CREATED] = "created",   [TOKEN_SIGN_AGAIN] = "sign_again", [TOKEN_RATE_LIMITED] = "rate_limited",
  [TOKEN_REPLAYED] = "replayed", [TOKEN_CONFLICT] = "conflict",     [TOKEN_UNKNOWN_USER] = "unknown_user",
  [TOKEN_KEY_LOST] = "key_lost",
};

int token_create_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

enum db_status db_token_create(struct db *db, const struct token_new *in, struct token_created *out)
{
  static struct db_statement st = DB_STATEMENT(
      "token_create", DB_REPEATABLE, 19,
      "SELECT outcome, device_code, wait_s, replay_status, body"
      "  FROM gateway.do_create_token($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $11, $12, $13, $14,"
      "                               $15::jsonb, $16, $17, $18, $19)");
  struct db_params p;
  PGresult *res = NULL;
  int outcome;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_int64(&p, in->terminal_id);
  db_param_int64(&p, in->merchant_id);
  db_param_text(&p, in->rate_interval_s);
  db_param_text(&p, in->rate_tolerance_s);
  db_param_text(&p, in->idem_key);
  db_param_text(&p, in->request_hash);
  db_param_text(&p, in->user_id);
  db_param_text(&p, in->device_code);
  db_param_text(&p, in->id);
  db_param_text(&p, in->reply_deadline);
  db_param_text(&p, in->currency);
  db_param_text(&p, in->currency_numeric);
  db_param_int64(&p, in->total);
  db_param_int64(&p, in->tax_total);
  db_param_text(&p, in->items);
  db_param_text(&p, in->reference);
  db_param_text(&p, in->binding_code);
  db_param_text(&p, in->message);
  db_param_text(&p, in->signature);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_create_token", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum token_create_outcome)outcome;
    db_copy(res, 0, "device_code", out->device_code);
    db_copy(res, 0, "wait_s", out->wait_s);
    out->replay_status = (int)db_int64(res, 0, "replay_status");
    if (!db_null(res, 0, "body"))
      out->body = token_answer_compact(db_text(res, 0, "body")); /* compact, as every answer */
  }
  if (res)
    PQclear(res);
  return s;
}
