/* authorize.c — issuer_authorize: a whole 0100 in one statement,
 * issuer.do_authorize (sql/0022, from sql/0012): for a token 0100 the
 * token's row locked and its checks first; the account locked, the merchant read,
 * the decision, the answer recorded under the key and the charge, or the
 * key's stored answer (94 for another request under it).  DB_REPEATABLE: a
 * call whose answer was lost is sent again and meets its own row. */
#include "credit-server/db/ops.h"

#include <string.h>

#include "common/log.h"

enum db_status issuer_authorize(struct db *db, const struct auth_request *in, struct auth_answer *out)
{
  static struct db_statement st =
      DB_STATEMENT("issuer_authorize", DB_REPEATABLE, 15,
                   "SELECT outcome, response_code, approval_code, differs, charged"
                   "  FROM issuer.do_authorize($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)");
  const struct credit_request *rq = in->rq;
  char transmitted[CREDIT_TIMESTAMP_LEN], now[CREDIT_TIMESTAMP_LEN];
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  credit_timestamp_text(rq->transmitted_at, transmitted);
  credit_timestamp_text(in->now, now);
  if (!transmitted[0] || !now[0]) {
    LOG_BUG("an authorization without its transmission time or clock");
    return DB_HARD_ERROR;
  }
  db_params_init(&p);
  db_param_text(&p, in->peer);
  db_param_text(&p, in->card_hash);
  db_param_text(&p, rq->expiry[0] ? rq->expiry : NULL); /* a token 0100 has no field 14 */
  db_param_int64(&p, rq->amount);
  db_param_text(&p, rq->currency);
  db_param_text(&p, rq->stan);
  db_param_text(&p, rq->terminal_id);
  db_param_text(&p, rq->transmission_time);
  db_param_text(&p, transmitted);
  db_param_text(&p, rq->merchant_code);
  db_param_text(&p, rq->method);
  db_param_int64(&p, rq->installments);
  db_param_text(&p, in->approval_code);
  db_param_text(&p, now);
  db_param_text(&p, in->token_key_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    const char *outcome = db_text(res, 0, "outcome");
    if (strcmp(outcome, "decided") == 0) {
      out->outcome = AUTH_DECIDED;
    } else if (strcmp(outcome, "replayed") == 0) {
      out->outcome = AUTH_REPLAYED;
    } else if (strcmp(outcome, "conflict") == 0) {
      out->outcome = AUTH_CONFLICT;
    } else {
      LOG_BUG("issuer.do_authorize answered outcome '%s'", outcome);
      s = DB_HARD_ERROR;
    }
    db_copy(res, 0, "response_code", out->response_code);
    db_copy(res, 0, "approval_code", out->approval_code);
    out->differs = (unsigned)db_int64(res, 0, "differs");
    out->charged = db_bool(res, 0, "charged");
  } else if (s >= 0) {
    LOG_BUG("issuer.do_authorize returned %d rows", (int)s);
    s = DB_HARD_ERROR;
  }
  if (res)
    PQclear(res);
  return s;
}
