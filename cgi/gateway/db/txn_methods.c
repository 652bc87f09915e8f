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
  for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
    if (strcmp(text, outcomes[i]) == 0)
      return (int)i;
  return -1;
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
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    int outcome = methods_outcome_of(db_text(res, 0, "outcome"));
    if (outcome < 0) {
      LOG_BUG("do_payment_methods answered outcome %s", db_text(res, 0, "outcome"));
      s = DB_HARD_ERROR;
    }
    out->outcome = (enum methods_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
    db_offer_read(res, &out->offer);
  } else if (s >= 0) {
    s = DB_HARD_ERROR; /* a function of RETURNS TABLE answers one row */
  }
  if (res)
    PQclear(res);
  return s;
}
