/* txn_device_auth.c — db_txn_device_auth: POST /v1/device-auth's whole work
 * at the database in one round trip and one commit (gateway.do_device_auth,
 * sql/0015): the user's rows as the worker checked them, the transaction
 * locked (expired when overdue), its user, challenge and state checked,
 * moved to awaiting_confirmation with the session, and what the handset
 * shows. */
#include "gateway/db/handset.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

static const char *const outcomes[] = {
  [DEVICE_AUTHENTICATED] = "authenticated", [DEVICE_STALE] = "stale",         [DEVICE_UNKNOWN_TXN] = "unknown_txn",
  [DEVICE_OTHER_USER] = "other_user",       [DEVICE_CHALLENGE] = "challenge", [DEVICE_WRONG_STATE] = "wrong_state",
};

int device_auth_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

enum db_status db_txn_device_auth(struct db *db, const struct device_auth_in *in, struct device_auth_out *out)
{
  static struct db_statement st = DB_STATEMENT(
      "txn_device_auth", DB_REPEATABLE, 9,
      "SELECT outcome, txn_status, merchant_code, merchant_name, shop_name, items, tax_total, total, currency,"
      "       binding_code, card_label, card_masked"
      "  FROM gateway.do_device_auth($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9::bigint)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->number);
  db_param_text(&p, in->user_id);
  db_param_text(&p, in->device_code);
  db_param_text(&p, in->public_key);
  db_param_text(&p, in->challenge);
  db_param_text(&p, in->session_hash);
  db_param_text(&p, in->deadline);
  db_param_text(&p, in->card_digest);
  db_param_text(&p, in->issuer_id);
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_device_auth", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum device_auth_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
    if (out->outcome == DEVICE_AUTHENTICATED) {
      db_copy(res, 0, "merchant_code", out->merchant_code);
      db_copy(res, 0, "merchant_name", out->merchant_name);
      db_copy(res, 0, "shop_name", out->shop_name);
      out->items = strdup(db_text(res, 0, "items"));
      out->tax_total = db_int64(res, 0, "tax_total");
      out->total = db_int64(res, 0, "total");
      db_copy(res, 0, "currency", out->currency);
      db_copy(res, 0, "binding_code", out->binding_code);
      db_copy(res, 0, "card_label", out->card_label);
      db_copy(res, 0, "card_masked", out->card_masked);
    }
  }
  if (res)
    PQclear(res);
  return s;
}
