/* txn_cancel.c — db_txn_cancel: POST .../cancel (gateway.do_cancel,
 * sql/0015): the transaction locked (expired when overdue), the merchant's
 * and still awaiting something, then canceled with the handset told. */
#include "gateway/db/terminal.h"
#include "common/log.h"

#include <string.h>

static const char *const outcomes[] = {
  [CANCEL_CANCELED] = "canceled",
  [CANCEL_SIGN] = "sign",
  [CANCEL_UNKNOWN_TXN] = "unknown_txn",
  [CANCEL_WRONG_STATE] = "wrong_state",
};

int cancel_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

enum db_status db_txn_cancel(struct db *db, const char *number, int64_t merchant_id, const char *reason,
                             const char *message, const char *signature, struct cancel_out *out)
{
  static struct db_statement st = DB_STATEMENT(
      "txn_cancel", DB_REPEATABLE, 5, "SELECT outcome, txn_status, user_id FROM gateway.do_cancel($1, $2, $3, $4, $5)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  db_param_text(&p, reason);
  db_param_text(&p, message);
  db_param_text(&p, signature);
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_cancel", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum cancel_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
    db_copy(res, 0, "user_id", out->user_id);
  }
  if (res)
    PQclear(res);
  return s;
}
