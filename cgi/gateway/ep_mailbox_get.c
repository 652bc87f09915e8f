/* ep_mailbox_get.c — GET /v1/mailbox: the direction server (160).  A handset
 * (authenticated by auth_device.c) picks up its pending signed messages;
 * they are marked delivered in the same database transaction, and the
 * answer says when to poll next (like CIBA's `interval`). */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/settings.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

struct pickup {
  struct request *rq;
  json_t *messages;
  bool replayed;
};

static enum db_status pickup_in_db(struct db *db, void *ctx)
{
  struct pickup *p = ctx;
  char device[24], stamp[24];
  PGresult *res;

  snprintf(device, sizeof device, "%" PRId64, p->rq->device.device_id);
  snprintf(stamp, sizeof stamp, "%" PRId64, p->rq->device.timestamp_ms);
  const char *poll[] = { device, stamp };
  enum db_status st = db_run(db, &q_device_poll, poll);
  if (st != DB_ONE_ROW) {
    p->replayed = st == DB_NO_ROWS;
    return st < 0 ? st : DB_ABORT;
  }
  const char *params[] = { device };
  st = db_exec(db, &q_mailbox_take, params, &res);
  if (st < 0)
    return st;
  /* UPDATE ... RETURNING gives no order: restore the mailbox's */
  int n = PQntuples(res);
  int *order = calloc((size_t)n + 1, sizeof *order);
  for (int i = 0; i < n; i++)
    order[i] = i;
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && atoll(db_get(res, order[j - 1], "id")) > atoll(db_get(res, order[j], "id")); j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  json_array_clear(p->messages);
  for (int i = 0; i < n; i++)
    json_array_append_new(p->messages, json_pack("{s:s, s:s}", "message", db_get(res, order[i], "message"),
                                                 "signature", db_get(res, order[i], "signature")));
  free(order);
  PQclear(res);
  return DB_ROWS;
}

static int slow_down(struct request *rq)
{
  char retry[40];
  snprintf(retry, sizeof retry, "Retry-After: %ld", settings.poll_interval_s);
  reply_add_header(rq, retry);
  return reply_problem_extra(rq, PROBLEM_SLOW_DOWN, json_pack("{s:i}", "interval", (int)settings.poll_interval_s),
                             "poll every %ld s", settings.poll_interval_s);
}

int ep_mailbox_get(struct request *rq)
{
  struct pickup p = { .rq = rq, .messages = json_array() };
  int status;

  if (rq->device.too_soon) {
    json_decref(p.messages);
    return slow_down(rq);
  }
  enum db_status st = db_run_transaction(rq->db, "mailbox pickup", pickup_in_db, &p);
  if (p.replayed)
    status = reply_problem(rq, PROBLEM_UNAUTHENTICATED, "this signed poll was already used (timestamp not newer)");
  else if (st < 0)
    status = reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  else {
    status = reply_json(rq, 200, json_pack("{s:O, s:i}", "messages", p.messages,
                                           "interval", (int)settings.poll_interval_s));
  }
  json_decref(p.messages);
  return status;
}
