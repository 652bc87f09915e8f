/* txn_methods.c — db_txn_methods: GET .../payment-methods in one round trip
 * (gateway.do_payment_methods, sql/0015): the transaction (expired when
 * overdue), its session and state, and the merchant's methods for its
 * issuer (fig 10). */
#include "gateway/db/handset.h"
#include "common/log.h"

#include <string.h>

static const char *const outcomes[] = {
  [METHODS_OFFERED] = "offered",
  [METHODS_UNKNOWN_TXN] = "unknown_txn",
  [METHODS_BAD_SESSION] = "bad_session",
  [METHODS_WRONG_STATE] = "wrong_state",
};

int methods_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

enum db_status db_txn_methods(struct db *db, const char *number, const char *session_hash, struct methods_out *out)
{
  static struct db_statement st =
      DB_STATEMENT("txn_methods", DB_REPEATABLE, 2,
                   "SELECT outcome, txn_status, lump_sum, installments, bonus, partial_bonus, revolving, counts"
                   "  FROM gateway.do_payment_methods($1, $2)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_text(&p, session_hash);
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_payment_methods", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum methods_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
    db_offer_read(res, &out->offer);
  }
  if (res)
    PQclear(res);
  return s;
}
