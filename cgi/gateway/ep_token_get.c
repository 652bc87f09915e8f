/* ep_token_get.c — GET /v1/tokens/{id}: the terminal that asked for a
 * token follows its request (another terminal's is unknown to it), and
 * gets the token once issued.  ?wait=N&status=S holds the answer while the
 * status is S (default: the status now) and not final, as GET
 * /v1/transactions/{n} does; an overdue request reads as expired
 * (db/token_view.c expires it). */
#include "gateway/db/token.h"
#include "gateway/endpoints.h"
#include "gateway/long_poll.h"
#include "gateway/reply.h"
#include "gateway/token_request.h"

#include <stdlib.h>

static enum db_status read_status(struct request *rq, char status[32])
{
  return db_token_status(rq->db, rq->path_param, rq->terminal.terminal_id, status);
}

int ep_token_get(struct request *rq)
{
  struct token_view v;
  long wait = long_poll_seconds(rq);
  int status;

  if (wait < 0)
    return long_poll_refuse(rq);
  enum db_status st = db_token_view(rq->db, rq->path_param, rq->terminal.terminal_id, &v);
  if (st == DB_ONE_ROW && v.outcome == TOKEN_FOUND
      && long_poll_hold(rq, v.status, token_status_is_final, wait, read_status)) {
    free(v.body);
    st = db_token_view(rq->db, rq->path_param, rq->terminal.terminal_id, &v);
  }
  if (st != DB_ONE_ROW)
    status = reply_db_failed(rq, "the database is not reachable");
  else if (v.outcome != TOKEN_FOUND || !v.body)
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TOKEN, "no token request %s for this terminal", rq->path_param);
  else
    status = reply_raw_json(rq, 200, v.body);
  free(v.body);
  return status;
}
