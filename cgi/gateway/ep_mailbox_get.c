/* ep_mailbox_get.c — GET /v1/mailbox: the direction server (160).  A handset
 * (authenticated by auth_device.c) picks up its pending signed messages in
 * one call (db/mailbox_poll.c, gateway.do_mailbox_poll): the poll checked
 * newer than the last and not too soon, recorded, and the messages marked
 * delivered; the answer says when to poll next (like CIBA's `interval`).
 * The call carries a random key of its own: were its answer lost, the call
 * sent again is told the same messages, never taken a second time, while a
 * captured poll replayed is refused. */
#include "gateway/cache.h"
#include "gateway/db/device.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/tokens.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Refused like auth_device.c's other 401s (RFC 9110 wants the header). */
static int unauthenticated(struct request *rq, const char *detail)
{
  reply_add_header(rq, "WWW-Authenticate: Signature realm=\"paygw\"");
  return CLIENT_FAULT(rq, PROBLEM_UNAUTHENTICATED, "%s", detail);
}

static int slow_down(struct request *rq)
{
  char retry[40];
  snprintf(retry, sizeof retry, "Retry-After: %ld", settings.poll_interval_s);
  reply_add_header(rq, retry);
  return CLIENT_FAULT_EXTRA(rq, PROBLEM_SLOW_DOWN, json_pack("{s:i}", "interval", (int)settings.poll_interval_s),
                            "poll every %ld s", settings.poll_interval_s);
}

int ep_mailbox_get(struct request *rq)
{
  char key[SESSION_TOKEN_LEN + 1], window[16];
  struct mailbox_taken taken;

  if (token_b64url32(key) != 0)
    return BUG(rq, "no random numbers");
  snprintf(window, sizeof window, "%.1f", (double)settings.poll_interval_s / 2.0);
  struct mailbox_poll poll = {
    .device_code = rq->device.device_code, .poll_ms = rq->device.timestamp_ms, .poll_key = key, .window_s = window
  };
  if (db_mailbox_poll(rq->db, &poll, &taken) != DB_ONE_ROW)
    return reply_db_failed(rq, "the database is not reachable");
  switch (taken.outcome) {
  case POLL_TAKEN:
    return reply_json(rq, 200,
                      json_pack("{s:o, s:i}", "messages", taken.messages, "interval", (int)settings.poll_interval_s));
  case POLL_TOO_SOON:
    json_decref(taken.messages);
    return slow_down(rq);
  case POLL_UNKNOWN_DEVICE: /* disabled since the worker cached its key */
    cache_device_forget(rq->device.device_code);
    json_decref(taken.messages);
    return unauthenticated(rq, "the device or its signature is not recognised");
  case POLL_REPLAYED:
    json_decref(taken.messages);
    return unauthenticated(rq, "this signed poll was already used (X-Paygw-Timestamp not newer than the last)");
  case POLL_RACED:
    break;
  }
  /* a concurrent poll with a newer (or the same) timestamp won: a replay */
  json_decref(taken.messages);
  return unauthenticated(rq, "this signed poll was already used (timestamp not newer)");
}
