/* ep_mailbox_get.c — GET /v1/mailbox: the direction server (160).  A handset
 * (authenticated by auth_device.c) picks up its pending signed messages;
 * one statement records the poll and marks them delivered (see
 * q_mailbox_pickup), and the answer says when to poll next (like CIBA's
 * `interval`).  The statement runs in a transaction of its own: were its
 * commit's answer lost, db_run_transaction reads whether it committed and
 * the messages taken are answered, never taken a second time (the retry
 * of a bare statement would find the poll used and the messages gone). */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/settings.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int slow_down(struct request *rq)
{
  char retry[40];
  snprintf(retry, sizeof retry, "Retry-After: %ld", settings.poll_interval_s);
  reply_add_header(rq, retry);
  return CLIENT_FAULT_EXTRA(rq, PROBLEM_SLOW_DOWN, json_pack("{s:i}", "interval", (int)settings.poll_interval_s),
                            "poll every %ld s", settings.poll_interval_s);
}

struct pickup {
  struct db_params params;       /* device id, poll timestamp */
  PGresult *res;
};

static enum db_status pickup_in_db(struct db *db, void *ctx)
{
  struct pickup *p = ctx;

  if (p->res)
    PQclear(p->res);
  p->res = NULL;
  return db_call(db, &q_mailbox_pickup, &p->params, &p->res);
}

int ep_mailbox_get(struct request *rq)
{
  struct pickup pick = { .res = NULL };
  PGresult *res;

  if (rq->device.too_soon)
    return slow_down(rq);
  db_params_init(&pick.params);
  db_param_int64(&pick.params, rq->device.device_id);
  db_param_int64(&pick.params, rq->device.timestamp_ms);
  if (db_run_transaction(rq->db, "mailbox pickup", pickup_in_db, &pick) < 0 || !pick.res) {
    if (pick.res)
      PQclear(pick.res);
    return reply_db_failed(rq, "the database is not reachable");
  }
  res = pick.res;
  if (strcmp(db_text(res, 0, "accepted"), "1") != 0) {
    /* a concurrent poll with a newer (or the same) timestamp won: a replay,
     * refused like auth_device.c's other 401s (RFC 9110 wants the header) */
    PQclear(res);
    reply_add_header(rq, "WWW-Authenticate: Signature realm=\"paygw\"");
    return CLIENT_FAULT(rq, PROBLEM_UNAUTHENTICATED, "this signed poll was already used (timestamp not newer)");
  }
  json_t *messages = json_array();
  for (int i = 0; i < PQntuples(res); i++)
    if (!db_null(res, i, "id"))
      json_array_append_new(messages, json_pack("{s:s, s:s}", "message", db_text(res, i, "message"),
                                                "signature", db_text(res, i, "signature")));
  PQclear(res);
  return reply_json(rq, 200, json_pack("{s:o, s:i}", "messages", messages, "interval", (int)settings.poll_interval_s));
}
