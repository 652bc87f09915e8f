/* ep_payment_methods_get.c — GET /v1/transactions/{number}/payment-methods:
 * the methods the handset may offer (fig 17), once the shopper agreed. */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/methods.h"
#include "gateway/reply.h"
#include "gateway/txn.h"

#include <string.h>

int ep_payment_methods_get(struct request *rq)
{
  PGresult *txn = NULL;
  struct method_offer offer;
  enum txn_access access = txn_for_session(rq->db, rq, &txn, false);   /* a read: no row lock */
  int status;

  if (access != TXN_OK)
    return txn_reply_access(rq, access);
  if (strcmp(db_text(txn, 0, "status"), "awaiting_method") != 0)
    status = txn_reply_wrong_state(rq, db_text(txn, 0, "status"), "choosing a method");
  else if (methods_offer(rq->db, db_text(txn, 0, "merchant_id"), db_text(txn, 0, "issuer_id"), &offer) < 0)
    status = reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  else
    status = reply_json(rq, 200, json_pack("{s:s, s:o}", "transaction", rq->path_param, "methods", methods_json(&offer)));
  PQclear(txn);
  return status;
}
