/* txn_begin_auth.c — db_txn_begin_authorization: step 1 of POST
 * .../payment-method in one round trip and one commit
 * (gateway.do_begin_authorization, sql/0015): the method checked against
 * the merchant's offer, the parties still active, the card still the one
 * decrypted, then authorizing with the authorization recorded before
 * anything is sent. */
#include "gateway/db/handset.h"
#include "common/log.h"

#include <stdio.h>
#include <string.h>

static const char *const outcomes[] = {
  [BEGIN_RECORDED] = "recorded",
  [BEGIN_NOT_OFFERED] = "not_offered",
  [BEGIN_PARTY_DISABLED] = "party_disabled",
  [BEGIN_CARD_UNCHECKED] = "card_unchecked",
  [BEGIN_UNKNOWN_TXN] = "unknown_txn",
  [BEGIN_BAD_SESSION] = "bad_session",
  [BEGIN_WRONG_STATE] = "wrong_state",
};

/* The parties' columns, in the order of out->parties. */
static const char *const party_columns[BEGIN_PARTIES] = {
  "card_status",   "user_status",     "device_status",   "subscriber_status",
  "issuer_status", "merchant_status", "terminal_status",
};

int begin_auth_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

const char *begin_auth_party_status(void *ctx, const char *column)
{
  const struct begin_auth_out *out = ctx;
  for (int i = 0; i < BEGIN_PARTIES; i++)
    if (strcmp(column, party_columns[i]) == 0)
      return out->parties[i];
  return NULL;
}

static void read_recorded(PGresult *res, struct begin_auth_out *out)
{
  db_copy(res, 0, "id", out->id);
  db_copy(res, 0, "user_id", out->user_id);
  db_copy(res, 0, "device_id", out->device_id);
  db_copy(res, 0, "currency", out->currency);
  db_copy(res, 0, "merchant_code", out->merchant_code);
  out->total = db_int64(res, 0, "total");
  out->stan = (int)db_int64(res, 0, "stan");
  db_copy(res, 0, "transmission_time", out->transmission_time);
  db_copy(res, 0, "terminal_field", out->terminal_field);
  out->card.card_id = db_int64(res, 0, "card_id");
  db_copy(res, 0, "ciphertext", out->card.ciphertext);
  out->card.key_id = (int)db_int64(res, 0, "key_id");
  out->card.aad = (int)db_int64(res, 0, "pan_aad");
  db_copy(res, 0, "pan_lookup", out->card.lookup);
  db_copy(res, 0, "expiry", out->card.expiry);
}

enum db_status db_txn_begin_auth(struct db *db, const struct begin_auth_in *in, struct begin_auth_out *out)
{
  static struct db_statement st = DB_STATEMENT(
      "txn_begin_auth", DB_REPEATABLE, 7,
      "SELECT outcome, txn_status, id, user_id, device_id, currency, total, merchant_code, stan, transmission_time,"
      "       terminal_field, card_id, ciphertext, key_id, pan_aad, pan_lookup, expiry, card_status, user_status,"
      "       device_status, subscriber_status, issuer_status, merchant_status, terminal_status"
      "  FROM gateway.do_begin_authorization($1, $2, $3, $4, $5, $6, $7)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->number);
  db_param_text(&p, in->session_hash);
  db_param_text(&p, in->method);
  db_param_int64(&p, in->installments);
  db_param_text(&p, in->transmission_time);
  db_param_text(&p, in->card_digest);
  db_param_text(&p, in->call_key);
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_begin_authorization", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum begin_auth_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
    if (out->outcome == BEGIN_RECORDED) {
      read_recorded(res, out);
      snprintf(out->card.number, sizeof out->card.number, "%s", in->number);
    }
    if (out->outcome == BEGIN_PARTY_DISABLED)
      db_copy(res, 0, "user_id", out->user_id);
    for (int i = 0; out->outcome == BEGIN_PARTY_DISABLED && i < BEGIN_PARTIES; i++)
      db_copy(res, 0, party_columns[i], out->parties[i]);
  }
  if (res)
    PQclear(res);
  return s;
}
