/* ep_transaction_cancel_post.c — POST /v1/transactions/{number}/cancel: the
 * terminal that made the transaction calls it off before authorization. */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/txn.h"
#include "gateway/validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const struct field cancel_spec[] = {
  { .name = "reason", .type = FIELD_STRING, .min_len = 1, .max_len = 120, .offset = offsetof(struct cancel_body, reason) },
  { 0 }
};

struct cancel {
  struct request *rq;
  const char *reason;
  char status[32];
  bool found;
};

static enum db_status cancel_in_db(struct db *db, void *ctx)
{
  struct cancel *c = ctx;
  PGresult *res;
  enum db_status st = txn_lock(db, c->rq->path_param, &res);

  c->found = false;
  if (st != DB_ONE_ROW) {
    if (st >= 0)
      PQclear(res);         /* no such number: the empty result is ours to free */
    return st < 0 ? st : DB_NO_ROWS;
  }
  if (strtoll(db_text(res, 0, "merchant_id"), NULL, 10) != c->rq->terminal.merchant_id) {
    PQclear(res);
    return DB_NO_ROWS;    /* another merchant's number: as if unknown */
  }
  c->found = true;
  snprintf(c->status, sizeof c->status, "%s", db_text(res, 0, "status"));
  if (strncmp(c->status, "awaiting_", 9) != 0) {
    PQclear(res);
    return DB_NO_ROWS;
  }
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, db_text(res, 0, "id"));
  db_param_text(&params, "canceled");
  db_param_text(&params, c->status);
  db_param_text(&params, NULL);
  db_param_text(&params, c->reason);
  db_param_text(&params, NULL);
  st = db_call(db, &q_txn_finish, &params, NULL);
  if (st == DB_ONE_ROW) {
    snprintf(c->status, sizeof c->status, "canceled");
    struct txn_ref ref;
    txn_ref_from(res, &ref);
    st = txn_notify_handset(db, &ref, "canceled", NULL, c->reason);
  }
  PQclear(res);
  return st;
}

int ep_transaction_cancel_post(struct request *rq)
{
  json_t *body = NULL;
  struct cancel_body in = { .reason = "canceled at the terminal" };   /* kept when not sent */
  struct cancel c = { .rq = rq };
  int status;

  /* an empty body is fine: there is nothing to say but "cancel" */
  if (rq->body_len > 0 && parse_json_body(rq, cancel_spec, &in, &body) != 0)
    return rq->status;
  c.reason = in.reason;
  enum db_status st = db_run_transaction(rq->db, "cancel", cancel_in_db, &c);
  if (st < 0)
    status = reply_db_failed(rq, "the database is not reachable");
  else if (!c.found)
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  else if (strcmp(c.status, "canceled") != 0 || st != DB_ONE_ROW)
    status = txn_reply_wrong_state(rq, c.status, "canceling");
  else
    status = reply_json(rq, 200, json_pack("{s:s, s:s}", "transaction", rq->path_param, "status", "canceled"));
  json_decref(body);
  return status;
}
