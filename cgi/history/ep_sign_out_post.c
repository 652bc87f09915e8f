/* ep_sign_out_post.c — POST /history/sign-out (form: csrf, checked by the
 * router): ends the session, clears its cookie, 303 to the sign-in page. */
#include "history/endpoints.h"
#include "history/reply.h"
#include "history/session.h"

int ep_sign_out_post(struct history_request *rq, const struct form *f)
{
  (void)f;
  if (session_end(rq) != 0)
    return rq->web.status;
  return reply_redirect(rq, "/history/sign-in?ended=signed-out");
}
