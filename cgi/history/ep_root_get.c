/* ep_root_get.c — GET /history (and /history/): 303 to the list when
 * signed in, else to the sign-in page. */
#include "history/endpoints.h"
#include "history/reply.h"
#include "history/session.h"

int ep_root_get(struct history_request *rq)
{
  enum session_seen seen;

  if (session_find(rq, &seen) != 0)
    return rq->web.status;
  return reply_redirect(rq, rq->has_session ? "/history/transactions" : signin_redirect_for(seen));
}
