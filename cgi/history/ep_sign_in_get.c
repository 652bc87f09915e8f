/* ep_sign_in_get.c — GET /history/sign-in: the sign-in form (user ID,
 * password, csrf bound to the pre-session cookie), with a notice when the
 * session has just ended (?ended=expired, ?ended=signed-out).  A signed-in
 * browser goes on to the list. */
#include "history/endpoints.h"
#include "history/reply.h"
#include "history/session.h"
#include "fcgireq/fcgireq.h"

#include <string.h>

int ep_sign_in_get(struct history_request *rq)
{
  char csrf[PRESESSION_TOKEN_HEX + 1], ended[16] = "";
  enum session_seen seen;

  if (session_find(rq, &seen) != 0)
    return rq->web.status;
  if (rq->has_session)
    return reply_redirect(rq, "/history/transactions");
  if (presession_form_token(rq, csrf) != 0)
    return rq->web.status;
  json_t *ctx = json_pack("{s:s}", "csrf", csrf);
  if (fcgireq_query_param(rq->query, "ended", ended, sizeof ended) == 0) {
    if (strcmp(ended, "expired") == 0)
      json_object_set_new(ctx, "notice", json_string("Your session has ended: sign in again to go on."));
    else if (strcmp(ended, "signed-out") == 0)
      json_object_set_new(ctx, "notice", json_string("You have signed out."));
  }
  return reply_page(rq, 200, "sign_in", ctx);
}
