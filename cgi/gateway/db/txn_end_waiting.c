/* txn_end_waiting.c — db_txn_end_waiting: a waiting transaction ended by
 * the handset's request with the handset told, in one round trip
 * (gateway.do_end_waiting, sql/0015): a method choice declined for a party
 * disabled since device-auth, or failed for a card that did not decrypt. */
#include "gateway/db/handset.h"
#include "common/log.h"

#include <string.h>

static const char *const outcomes[] = {
  [END_ENDED] = "ended",
  [END_UNKNOWN_TXN] = "unknown_txn",
  [END_BAD_SESSION] = "bad_session",
  [END_WRONG_STATE] = "wrong_state",
};

int end_waiting_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

enum db_status db_txn_end_waiting(struct db *db, const struct end_waiting_in *in, struct end_waiting_out *out)
{
  static struct db_statement st =
      DB_STATEMENT("txn_end_waiting", DB_REPEATABLE, 8,
                   "SELECT outcome, txn_status FROM gateway.do_end_waiting($1, $2, $3, $4, $5, $6, $7, $8)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->number);
  db_param_text(&p, in->session_hash);
  db_param_text(&p, in->from);
  db_param_text(&p, in->status);
  db_param_text(&p, in->code);
  db_param_text(&p, in->reason);
  db_param_text(&p, in->message);
  db_param_text(&p, in->signature);
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_end_waiting", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum end_waiting_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
  }
  if (res)
    PQclear(res);
  return s;
}
