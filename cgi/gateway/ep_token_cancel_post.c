/* ep_token_cancel_post.c — POST /v1/tokens/{id}/cancel: the terminal that
 * asked for a token calls it off while the shopper has not replied
 * (canceled/canceled_by_pos).  Asked again, it answers the same; any other
 * state is 409 wrong_state.  No body is needed; one sent is POST
 * /v1/transactions/{n}/cancel's (an optional "reason", not kept: the
 * reason is canceled_by_pos). */
#include "gateway/db/token.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/validate.h"

#include <stdlib.h>

int ep_token_cancel_post(struct request *rq)
{
  struct token_view v;
  struct cancel_body in = { 0 };
  json_t *body = NULL;
  int status;

  if (rq->body_len > 0 && parse_json_body(rq, cancel_spec, &in, &body) != 0)
    return rq->status;
  json_decref(body);
  if (db_token_cancel(rq->db, rq->path_param, rq->terminal.terminal_id, &v) != DB_ONE_ROW)
    status = reply_db_failed(rq, "the database is not reachable");
  else if (v.outcome == TOKEN_UNKNOWN)
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TOKEN, "no token request %s for this terminal", rq->path_param);
  else if (v.outcome == TOKEN_WRONG_STATE || !v.body)
    status = CLIENT_FAULT_EXTRA(rq, PROBLEM_WRONG_STATE, json_pack("{s:s}", "token_status", v.status),
                                "the token request is %s; canceling is not possible now", v.status);
  else
    status = reply_raw_json(rq, 200, v.body);
  free(v.body);
  return status;
}
