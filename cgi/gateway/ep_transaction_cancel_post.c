/* ep_transaction_cancel_post.c — POST /v1/transactions/{number}/cancel: the
 * terminal that made the transaction calls it off before authorization. */
#include "gateway/db/terminal.h"
#include "gateway/endpoints.h"
#include "gateway/mailbox.h"
#include "gateway/metrics.h"
#include "gateway/reply.h"
#include "gateway/txn.h"
#include "gateway/validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct field cancel_spec[] = {
  { .name = "reason",
    .type = FIELD_STRING,
    .min_len = 1,
    .max_len = 120,
    .offset = offsetof(struct cancel_body, reason) },
  { 0 },
};

/* One call answers who the handset's completion must name; the second,
 * with it signed, cancels (db/txn_cancel.c, gateway.do_cancel). */
static enum db_status cancel_in_db(struct request *rq, const char *reason, struct cancel_out *out)
{
  char *message = NULL, sig[90];
  enum db_status st = db_txn_cancel(rq->db, rq->path_param, rq->terminal.merchant_id, reason, NULL, NULL, out);

  if (st != DB_ONE_ROW || out->outcome != CANCEL_SIGN)
    return st;
  struct txn_ref ref = { .id = "" };
  snprintf(ref.number, sizeof ref.number, "%.*s", (int)sizeof ref.number - 1, rq->path_param);
  snprintf(ref.user_id, sizeof ref.user_id, "%s", out->user_id);
  if (mailbox_seal(txn_completion_message(&ref, "canceled", NULL, reason), &message, sig) != 0)
    return DB_HARD_ERROR;
  st = db_txn_cancel(rq->db, rq->path_param, rq->terminal.merchant_id, reason, message, sig, out);
  free(message);
  return st != DB_ONE_ROW || out->outcome != CANCEL_SIGN ? st : DB_HARD_ERROR;
}

int ep_transaction_cancel_post(struct request *rq)
{
  json_t *body = NULL;
  struct cancel_body in = { .reason = "canceled at the terminal" }; /* kept when not sent */
  struct cancel_out out;
  int status;

  /* an empty body is fine: there is nothing to say but "cancel" */
  if (rq->body_len > 0 && parse_json_body(rq, cancel_spec, &in, &body) != 0)
    return rq->status;
  if (cancel_in_db(rq, in.reason, &out) != DB_ONE_ROW)
    status = reply_db_failed(rq, "the database is not reachable");
  else if (out.outcome == CANCEL_UNKNOWN_TXN)
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  else if (out.outcome != CANCEL_CANCELED)
    status = txn_reply_wrong_state(rq, out.txn_status, "canceling");
  else {
    status = reply_json(rq, 200, json_pack("{s:s, s:s}", "transaction", rq->path_param, "status", "canceled"));
    metrics_payment("canceled");
  }
  json_decref(body);
  return status;
}
