/* ep_payment_methods_get.c — GET /v1/transactions/{number}/payment-methods:
 * the methods the handset may offer (fig 17), once the shopper agreed.  One
 * call (db/txn_methods.c, gateway.do_payment_methods). */
#include "gateway/db/handset.h"
#include "gateway/endpoints.h"
#include "gateway/methods.h"
#include "gateway/reply.h"
#include "gateway/txn.h"

int ep_payment_methods_get(struct request *rq)
{
  struct methods_out out;

  if (db_txn_methods(rq->db, rq->path_param, rq->session_hash, &out) != DB_ONE_ROW)
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  switch (out.outcome) {
  case METHODS_UNKNOWN_TXN:
    return txn_reply_access(rq, TXN_UNKNOWN);
  case METHODS_BAD_SESSION:
    return txn_reply_access(rq, TXN_BAD_SESSION);
  case METHODS_WRONG_STATE:
    return txn_reply_wrong_state(rq, out.txn_status, "choosing a method");
  case METHODS_OFFERED:
    break;
  }
  return reply_json(rq, 200,
                    json_pack("{s:s, s:o}", "transaction", rq->path_param, "methods", methods_json(&out.offer)));
}
