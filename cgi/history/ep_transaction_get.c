/* ep_transaction_get.c — GET /history/transactions/{NUMBER}: one of the
 * signed-in user's transactions.  A placeholder of the skeleton (the PAGES
 * part replaces this file): every number is 404 for now. */
#include "history/endpoints.h"
#include "history/reply.h"

int ep_transaction_get(struct history_request *rq)
{
  return reply_not_found(rq);
}
