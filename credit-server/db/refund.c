/* refund.c — issuer_refund: a 0220/0221 in one statement, issuer.do_refund
 * (sql/0024): under the refund's own key the stored answer (or 94 for
 * another refund under it); else the original locked, the refund decided
 * against what it has left, recorded, and the balance lowered on 00.
 * DB_REPEATABLE: sent again, it finds what its first call left. */
#include "credit-server/db/ops.h"

#include <string.h>

#include "common/log.h"

static bool outcome_of(const char *o, enum refund_outcome *out)
{
  if (strcmp(o, "decided") == 0)
    *out = REFUND_DECIDED;
  else if (strcmp(o, "replayed") == 0)
    *out = REFUND_REPLAYED;
  else if (strcmp(o, "conflict") == 0)
    *out = REFUND_CONFLICT;
  else
    return false;
  return true;
}

enum db_status issuer_refund(struct db *db, const char *peer, const struct refund_request *in,
                             struct refund_answer *out)
{
  static struct db_statement st =
      DB_STATEMENT("issuer_refund", DB_REPEATABLE, 10,
                   "SELECT outcome, response_code FROM issuer.do_refund($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
  char transmitted[CREDIT_TIMESTAMP_LEN], original[CREDIT_TIMESTAMP_LEN];
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  credit_timestamp_text(in->transmitted_at, transmitted);
  credit_timestamp_text(in->original_transmitted_at, original);
  if (!transmitted[0] || !original[0]) {
    LOG_BUG("a refund without its or its original's transmission time");
    return DB_HARD_ERROR;
  }
  db_params_init(&p);
  db_param_text(&p, peer);
  db_param_text(&p, in->stan);
  db_param_text(&p, in->terminal_id);
  db_param_text(&p, in->transmission_time);
  db_param_text(&p, transmitted);
  db_param_text(&p, in->original_stan);
  db_param_text(&p, original);
  db_param_text(&p, in->merchant_code);
  db_param_text(&p, in->currency);
  db_param_int64(&p, in->amount);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    const char *o = db_text(res, 0, "outcome");
    if (!outcome_of(o, &out->outcome)) {
      LOG_BUG("issuer.do_refund answered outcome '%s'", o);
      s = DB_HARD_ERROR;
    }
    db_copy(res, 0, "response_code", out->response_code);
  } else if (s >= 0) {
    LOG_BUG("issuer.do_refund returned %d rows", (int)s);
    s = DB_HARD_ERROR;
  }
  if (res)
    PQclear(res);
  return s;
}
