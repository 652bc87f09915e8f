/* token_reply.c — db_token_reply: the handset's reply judged by the worker,
 * applied in one call (gateway.do_token_reply, sql/0021): a wrong password
 * counted toward the user's lock, the request canceled or rejected, or
 * moved to delivering with its STAN and the card's ciphertext answered for
 * the worker to decrypt. */
#include "gateway/db/token.h"

#include <stdio.h>
#include <string.h>

static const char *const outcomes[] = {
  [REPLY_DELIVER] = "deliver",         [REPLY_ENDED] = "ended",           [REPLY_LOCKED] = "locked",
  [REPLY_WRONG_STATE] = "wrong_state", [REPLY_UNKNOWN] = "unknown_token",
};

int token_reply_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

static void read_card(PGresult *res, struct token_reply_out *out)
{
  struct txn_card *c = &out->card;

  c->card_id = db_int64(res, 0, "card_id");
  db_copy(res, 0, "ciphertext", c->ciphertext);
  c->key_id = (int)db_int64(res, 0, "key_id");
  c->aad = (int)db_int64(res, 0, "pan_aad");
  db_copy(res, 0, "pan_lookup", c->lookup);
  db_copy(res, 0, "card_expiry", c->expiry);
}

enum db_status db_token_reply(struct db *db, const char *id, const char *verdict, long lock_after, long lock_s,
                              struct token_reply_out *out)
{
  static struct db_statement st =
      DB_STATEMENT("token_reply", DB_CHANGE, 4,
                   "SELECT outcome, token_status, reason, locked_until, id, merchant_code, total, currency_numeric,"
                   "       iso_terminal_id, stan, card_id, ciphertext, key_id, pan_aad, pan_lookup, card_expiry"
                   "  FROM gateway.do_token_reply($1, $2, $3, $4)");
  struct db_params p;
  PGresult *res = NULL;
  int outcome;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, id);
  db_param_text(&p, verdict);
  db_param_int64(&p, lock_after);
  db_param_int64(&p, lock_s);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_token_reply", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum token_reply_outcome)outcome;
    db_copy(res, 0, "token_status", out->status);
    db_copy(res, 0, "reason", out->reason);
    db_copy(res, 0, "locked_until", out->locked_until);
    db_copy(res, 0, "id", out->row_id);
    if (out->outcome == REPLY_DELIVER) {
      db_copy(res, 0, "merchant_code", out->merchant_code);
      out->total = db_int64(res, 0, "total");
      db_copy(res, 0, "currency_numeric", out->currency_numeric);
      db_copy(res, 0, "iso_terminal_id", out->iso_terminal_id);
      out->stan = (int)db_int64(res, 0, "stan");
      read_card(res, out);
    }
  }
  if (res)
    PQclear(res);
  return s;
}
