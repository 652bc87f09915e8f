/* txn_confirm.c — db_txn_confirm: POST .../confirmation's whole work at the
 * database in one round trip and one commit (gateway.do_confirm, sql/0015):
 * the transaction locked, its session and state checked, then canceled,
 * failed (card unreadable), declined (the merchant takes nothing of the
 * card's issuer) or awaiting_method with the methods offered. */
#include "gateway/db/handset.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

static const char *const outcomes[] = {
  [CONFIRM_CONFIRMED] = "confirmed",
  [CONFIRM_CANCELED] = "canceled",
  [CONFIRM_DECLINED] = "declined",
  [CONFIRM_CARD_UNREADABLE] = "card_unreadable",
  [CONFIRM_CARD_UNCHECKED] = "card_unchecked",
  [CONFIRM_UNKNOWN_TXN] = "unknown_txn",
  [CONFIRM_BAD_SESSION] = "bad_session",
  [CONFIRM_WRONG_STATE] = "wrong_state",
};

int confirm_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

/* The merchant x issuer row (fig 10) as the function answered it. */
void db_offer_read(PGresult *res, struct method_offer *offer)
{
  memset(offer, 0, sizeof *offer);
  if (db_null(res, 0, "lump_sum"))
    return;
  offer->lump_sum = db_bool(res, 0, "lump_sum");
  offer->installments = db_bool(res, 0, "installments");
  offer->bonus = db_bool(res, 0, "bonus");
  offer->partial_bonus = db_bool(res, 0, "partial_bonus");
  offer->revolving = db_bool(res, 0, "revolving");
  const char *p = db_text(res, 0, "counts");
  for (int n = 0; *p && n < METHOD_MAX_COUNTS - 1; n++) {
    offer->counts[n] = (int)strtol(p, (char **)&p, 10);
    if (*p == ',')
      p++;
  }
  offer->found = offer->lump_sum || offer->installments || offer->bonus || offer->partial_bonus || offer->revolving;
}

enum db_status db_txn_confirm(struct db *db, const struct confirm_in *in, struct confirm_out *out)
{
  static struct db_statement st =
      DB_STATEMENT("txn_confirm", DB_REPEATABLE, 12,
                   "SELECT outcome, txn_status, lump_sum, installments, bonus, partial_bonus, revolving, counts"
                   "  FROM gateway.do_confirm($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9, $10, $11, $12)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->number);
  db_param_text(&p, in->session_hash);
  db_param_bool(&p, in->agree);
  db_param_text(&p, in->card_digest);
  db_param_bool(&p, in->card_readable);
  db_param_text(&p, in->issuer_id);
  db_param_text(&p, in->deadline);
  db_param_text(&p, in->code);
  db_param_text(&p, in->reason);
  db_param_text(&p, in->message);
  db_param_text(&p, in->signature);
  db_param_text(&p, in->call_key);
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_confirm", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum confirm_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
    db_offer_read(res, &out->offer);
  }
  if (res)
    PQclear(res);
  return s;
}
