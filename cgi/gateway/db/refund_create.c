/* refund_create.c — db_refund_create: POST /v1/transactions/{number}/refunds's
 * whole decision in one round trip and one commit (gateway.do_create_refund,
 * sql/0023): the payment locked, the Idempotency-Key, the state, what is
 * left, void or refund, and the refund recorded pending with attempt 1
 * leased before anything is sent. */
#include "gateway/db/refund.h"

#include <string.h>

static const char *const outcomes[] = {
  [REFUND_CREATED] = "created",         [REFUND_REPLAYED] = "replayed",       [REFUND_CONFLICT] = "conflict",
  [REFUND_UNKNOWN_TXN] = "unknown_txn", [REFUND_WRONG_STATE] = "wrong_state", [REFUND_EXCEEDS] = "exceeds",
  [REFUND_KEY_LOST] = "key_lost",
};

enum db_status db_refund_create(struct db *db, const struct refund_new *in, struct refund_created *out)
{
  static struct db_statement st =
      DB_STATEMENT("refund_create", DB_CHANGE, 11,
                   "SELECT outcome, txn_status, refundable, id"
                   "  FROM gateway.do_create_refund($1, $2, $3, $4, $5, $6, $7, $8, $9::boolean, $10, $11)");
  struct db_params p;
  PGresult *res = NULL;
  int outcome;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_int64(&p, in->terminal_id);
  db_param_int64(&p, in->merchant_id);
  db_param_text(&p, in->number);
  db_param_text(&p, in->idem_key);
  db_param_text(&p, in->request_hash);
  db_param_text(&p, in->refund_id);
  db_param_int64(&p, in->amount);
  db_param_text(&p, in->reason);
  db_param_bool(&p, in->void_window);
  db_param_int64(&p, in->lease_ms);
  db_param_text(&p, in->wake);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_create_refund", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum refund_create_outcome)outcome;
    db_copy(res, 0, "txn_status", out->txn_status);
    out->refundable = db_int64(res, 0, "refundable");
    db_copy(res, 0, "id", out->id);
  }
  if (res)
    PQclear(res);
  return s;
}
