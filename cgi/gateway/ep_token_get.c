/* ep_token_get.c — GET /v1/tokens/{id}: the terminal that asked for a
 * token follows its request (another terminal's is unknown to it), and
 * gets the token once issued.  ?wait=N&status=S holds the answer while the
 * status is S (default: the status now) and not final, as GET
 * /v1/transactions/{n} does; an overdue request reads as expired
 * (db/token_view.c expires it). */
#include "gateway/db/token.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/token_request.h"
#include "gateway/wait_slots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_STEP_MS 100

/* A poll in short steps, not a LISTEN (ep_transaction_get.c says why). */
static void wait_for_change(struct request *rq, const char *from, long seconds)
{
  struct timespec step = { 0, WAIT_STEP_MS * 1000000L };
  long steps = seconds * 1000 / WAIT_STEP_MS;
  char status[32];

  for (long i = 0; i < steps; i++) {
    nanosleep(&step, NULL);
    if (db_token_status(rq->db, rq->path_param, rq->terminal.terminal_id, status) != DB_ONE_ROW
        || strcmp(status, from) != 0)
      return;
  }
}

static long wait_seconds(struct request *rq, bool *bad)
{
  char text[16];
  *bad = false;
  if (request_query_param(rq, "wait", text, sizeof text) != 0)
    return 0;
  char *end;
  long n = strtol(text, &end, 10);
  if (*text == '\0' || *end || n < 0 || n > 3600) {
    *bad = true;
    return 0;
  }
  return n > settings.wait_max_s ? settings.wait_max_s : n;
}

int ep_token_get(struct request *rq)
{
  struct token_view v;
  char from[32];
  bool bad;
  long wait = wait_seconds(rq, &bad);
  int status;

  if (bad)
    return CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "wait: whole seconds, 0-3600 (held at most %ld)",
                        settings.wait_max_s);
  enum db_status st = db_token_view(rq->db, rq->path_param, rq->terminal.terminal_id, &v);
  if (st == DB_ONE_ROW && v.outcome == TOKEN_FOUND && wait > 0) {
    if (request_query_param(rq, "status", from, sizeof from) != 0)
      snprintf(from, sizeof from, "%s", v.status);
    int slot = -1;
    if (strcmp(v.status, from) == 0 && !token_status_is_final(from) && (slot = wait_slot_acquire()) < 0)
      reply_add_header(rq, "Retry-After: 1"); /* every wait slot is taken: ask again soon */
    if (slot >= 0) {
      wait_for_change(rq, from, wait);
      wait_slot_release(slot);
      free(v.body);
      st = db_token_view(rq->db, rq->path_param, rq->terminal.terminal_id, &v);
    }
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
