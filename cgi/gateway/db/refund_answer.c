/* refund_answer.c — db_refund_answer: the credit server's answer to a
 * pending refund recorded in one call (gateway.do_refund_answer, sql/0023):
 * completed with the handset's signed `refund` message, or declined. */
#include "gateway/db/refund.h"

#include <string.h>

static const char *const outcomes[] = {
  [REFUND_ANSWER_COMPLETED] = "completed",
  [REFUND_ANSWER_DECLINED] = "declined",
  [REFUND_ANSWER_SIGN_AGAIN] = "sign_again",
  [REFUND_ANSWER_SETTLED] = "settled",
};

enum db_status db_refund_answer(struct db *db, const struct refund_answer_in *in, struct refund_answer_out *out)
{
  static struct db_statement st =
      DB_STATEMENT("refund_answer", DB_REPEATABLE, 6,
                   "SELECT outcome, refunded FROM gateway.do_refund_answer($1, $2, $3, $4, $5, $6)");
  struct db_params p;
  PGresult *res = NULL;
  int outcome;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->refund_id);
  db_param_text(&p, in->response_code);
  db_param_text(&p, in->reason);
  db_param_int64(&p, in->refunded);
  db_param_text(&p, in->message);
  db_param_text(&p, in->signature);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_refund_answer", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum refund_answer_outcome)outcome;
    out->refunded = db_null(res, 0, "refunded") ? 0 : db_int64(res, 0, "refunded");
  }
  if (res)
    PQclear(res);
  return s;
}
