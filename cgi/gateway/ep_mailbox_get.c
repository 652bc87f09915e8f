/* ep_mailbox_get.c — GET /v1/mailbox: the direction server (160).  A handset
 * (authenticated by auth_device.c) picks up its pending signed messages;
 * one statement records the poll and marks them delivered (see
 * q_mailbox_pickup), and the answer says when to poll next (like CIBA's
 * `interval`). */
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
  return reply_problem_extra(rq, PROBLEM_SLOW_DOWN, json_pack("{s:i}", "interval", (int)settings.poll_interval_s),
                             "poll every %ld s", settings.poll_interval_s);
}

int ep_mailbox_get(struct request *rq)
{
  char device[24], stamp[24];
  PGresult *res;

  if (rq->device.too_soon)
    return slow_down(rq);
  snprintf(device, sizeof device, "%" PRId64, rq->device.device_id);
  snprintf(stamp, sizeof stamp, "%" PRId64, rq->device.timestamp_ms);
  const char *params[] = { device, stamp };
  if (db_exec(rq->db, &q_mailbox_pickup, params, &res) < 0)
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  if (strcmp(db_get(res, 0, "accepted"), "1") != 0) {
    /* a concurrent poll with a newer (or the same) timestamp won: a replay,
     * refused like auth_device.c's other 401s (RFC 9110 wants the header) */
    PQclear(res);
    reply_add_header(rq, "WWW-Authenticate: Signature realm=\"paygw\"");
    return reply_problem(rq, PROBLEM_UNAUTHENTICATED, "this signed poll was already used (timestamp not newer)");
  }
  json_t *messages = json_array();
  for (int i = 0; i < PQntuples(res); i++)
    if (!db_is_null(res, i, "id"))
      json_array_append_new(messages, json_pack("{s:s, s:s}", "message", db_get(res, i, "message"),
                                                "signature", db_get(res, i, "signature")));
  PQclear(res);
  return reply_json(rq, 200, json_pack("{s:o, s:i}", "messages", messages, "interval", (int)settings.poll_interval_s));
}
