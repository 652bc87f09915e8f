/* ep_list_get.c — GET /history/transactions: the signed-in user's
 * transactions.  A placeholder of the skeleton (the PAGES part replaces
 * this file): it shows the signed-in layout and nothing of the payments. */
#include "history/endpoints.h"
#include "history/reply.h"

int ep_list_get(struct history_request *rq)
{
  return reply_page(rq, 200, "placeholder",
                    json_pack("{s:s, s:s}", "title", "Transactions", "page", "list"));
}
