/* ep_refund_get.c — GET /v1/transactions/{number}/refunds/{refund} (issue
 * 15): one refund of the merchant's payment; ?wait=N&status=pending holds
 * the answer until it ends, as the transaction's GET does (long_poll.c). */
#include "gateway/db/refund.h"
#include "gateway/endpoints.h"
#include "gateway/long_poll.h"
#include "gateway/refund.h"
#include "gateway/reply.h"

#include <stdlib.h>

static enum db_status read_status(struct request *rq, char status[32])
{
  return db_refund_status(rq->db, rq->path_param, rq->terminal.merchant_id, rq->path_param2, status);
}

static enum db_status read_refund(struct request *rq, struct refund_list *l)
{
  free(l->rows);
  return db_refund_list(rq->db, rq->path_param, rq->terminal.merchant_id, rq->path_param2, l);
}

int ep_refund_get(struct request *rq)
{
  struct refund_list l = { 0 };
  long wait = long_poll_seconds(rq);
  int status;

  if (wait < 0)
    return long_poll_refuse(rq);
  enum db_status st = read_refund(rq, &l);
  if (st >= 0 && l.found && l.n == 1 && long_poll_hold(rq, l.rows[0].status, refund_status_is_final, wait, read_status))
    st = read_refund(rq, &l);
  if (st < 0)
    status = reply_db_failed(rq, "the refund cannot be read now; try again");
  else if (!l.found)
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  else if (l.n != 1)
    status =
        CLIENT_FAULT(rq, PROBLEM_UNKNOWN_REFUND, "no refund %s of transaction %s", rq->path_param2, rq->path_param);
  else
    status = reply_json(rq, 200, refund_object(&l.rows[0]));
  free(l.rows);
  return status;
}
