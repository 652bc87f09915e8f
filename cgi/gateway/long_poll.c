/* long_poll.c — see long_poll.h. */
#include "gateway/long_poll.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/wait_slots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_STEP_MS 100

long long_poll_seconds(struct request *rq)
{
  char text[16], *end;
  if (request_query_param(rq, "wait", text, sizeof text) != 0)
    return 0;
  long n = strtol(text, &end, 10);
  if (*text == '\0' || *end || n < 0 || n > 3600) /* more than the cap is held only the cap */
    return -1;
  return n > settings.wait_max_s ? settings.wait_max_s : n;
}

int long_poll_refuse(struct request *rq)
{
  return CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "wait: whole seconds, 0-3600 (held at most %ld)", settings.wait_max_s);
}

/* Sleeps in short steps until the state differs from `from` or time is
 * up.  A poll, not a LISTEN: a NOTIFY per state change would be queued at
 * every flow's commits under a lock all notifying commits take in turn,
 * while polling costs only the terminals that wait (PAYGW_WAIT_SLOTS). */
static void wait_for_change(struct request *rq, const char *from, long seconds, long_poll_read read)
{
  struct timespec step = { 0, WAIT_STEP_MS * 1000000L };
  long steps = seconds * 1000 / WAIT_STEP_MS;
  char status[32];

  for (long i = 0; i < steps; i++) {
    nanosleep(&step, NULL);
    if (read(rq, status) != DB_ONE_ROW || strcmp(status, from) != 0)
      return;
  }
}

bool long_poll_hold(struct request *rq, const char *now, bool (*is_final)(const char *), long seconds,
                    long_poll_read read)
{
  char from[32];
  if (seconds <= 0)
    return false;
  if (request_query_param(rq, "status", from, sizeof from) != 0)
    snprintf(from, sizeof from, "%s", now);
  if (strcmp(now, from) != 0 || is_final(from))
    return false;
  int slot = wait_slot_acquire();
  if (slot < 0) {
    reply_add_header(rq, "Retry-After: 1"); /* every wait slot is taken: ask again soon */
    return false;
  }
  wait_for_change(rq, from, seconds, read);
  wait_slot_release(slot);
  return true;
}
