/* ep_transaction_get.c — GET /v1/transactions/{number}: the terminal that
 * made the transaction reads its status and, when done, the completion for
 * the receipt (S13).  ?wait=N holds the answer until the status changes
 * (long polling, so the POS need not poll hard). */
#include "gateway/db/terminal.h"
#include "gateway/endpoints.h"
#include "gateway/long_poll.h"
#include "gateway/reply.h"
#include "gateway/tokens.h"
#include "gateway/txn.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum db_status read_status(struct request *rq, char status[32])
{
  return db_txn_status(rq->db, rq->path_param, rq->terminal.merchant_id, status);
}

int ep_transaction_get(struct request *rq)
{
  struct txn_view v;
  long wait = long_poll_seconds(rq);

  if (wait < 0)
    return long_poll_refuse(rq);
  enum db_status st =
      db_txn_view(rq->db, rq->path_param, rq->terminal.merchant_id, &v); /* an overdue one shows as expired */
  if (st < 0)
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  if (!v.found)
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  if (long_poll_hold(rq, v.status, txn_is_final, wait, read_status)) {
    free(v.items);
    st = db_txn_view(rq->db, rq->path_param, rq->terminal.merchant_id, &v);
    if (st != DB_ONE_ROW || !v.found) {
      free(v.items);
      return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
    }
  }
  json_t *view = txn_terminal_view(&v);
  free(v.items);
  json_object_set_new(view, "merchant",
                      json_pack("{s:s, s:s}", "code", rq->terminal.merchant_code, "name", rq->terminal.merchant_name));
  json_object_set_new(view, "shop", json_string(rq->terminal.shop_name));
  return reply_json(rq, 200, view);
}
