/* auth_answer.c — db_auth_record_answer: the issuer's answer to a 0100
 * recorded, the payment ended and the handset told, in one statement
 * (step 3 of POST .../payment-method, the "answer recorded" commit). */
#include "gateway/db/authorization.h"

enum db_status db_auth_record_answer(struct db *db, const struct auth_answer_in *in)
{
  static struct db_statement st = DB_STATEMENT(
      "auth_answer", DB_CHANGE, 8,
      "WITH a AS (UPDATE gateway.authorizations SET status = 'answered', response_code = $2, approval_code = $3,"
      "             answered_at = now()"
      "           WHERE transaction_id = $1 AND status = 'sent' RETURNING transaction_id),"
      " t AS (UPDATE gateway.transactions SET status = $4, deadline = NULL, response_code = $2, outcome_reason = $5,"
      "         approval_code = $6, completed_at = now(), updated_at = now()"
      "       WHERE id = (SELECT transaction_id FROM a) AND status = 'authorizing' RETURNING id, device_id, user_id)"
      " INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature)"
      " SELECT device_id, user_id, id, 'completion', $7, $8 FROM t RETURNING id");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, in->txn_id);
  db_param_text(&p, in->response_code);
  db_param_text(&p, in->approval_code);
  db_param_text(&p, in->status);
  db_param_text(&p, in->reason);
  db_param_text(&p, in->txn_approval_code);
  db_param_text(&p, in->message);
  db_param_text(&p, in->signature);
  enum db_status s = db_call(db, &st, &p, &res);
  if (res)
    PQclear(res);
  return s;
}
