/* ep_refunds_get.c — GET /v1/transactions/{number}/refunds (issue 15): any
 * terminal of the payment's merchant reads what it has given back and has
 * left, and its refunds oldest first (db/refund_list.c). */
#include "gateway/db/refund.h"
#include "gateway/endpoints.h"
#include "gateway/refund.h"
#include "gateway/reply.h"

#include <stdlib.h>

int ep_refunds_get(struct request *rq)
{
  struct refund_list l;
  int status;

  enum db_status st = db_refund_list(rq->db, rq->path_param, rq->terminal.merchant_id, NULL, &l);
  if (st < 0)
    status = reply_db_failed(rq, "the refunds cannot be read now; try again");
  else if (!l.found)
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  else {
    json_t *list = json_array();
    for (int i = 0; i < l.n; i++)
      json_array_append_new(list, refund_object(&l.rows[i]));
    status = reply_json(rq, 200,
                        json_pack("{s:s, s:I, s:I, s:o}", "transaction", rq->path_param, "refunded",
                                  (json_int_t)l.refunded, "refundable", (json_int_t)l.refundable, "refunds", list));
  }
  free(l.rows);
  return status;
}
