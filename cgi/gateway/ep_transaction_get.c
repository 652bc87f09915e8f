/* ep_transaction_get.c — GET /v1/transactions/{number}: the terminal that
 * made the transaction reads its status and, when done, the completion for
 * the receipt (S13).  ?wait=N holds the answer until the status changes
 * (long polling, so the POS need not poll hard). */
#include "gateway/db/terminal.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/tokens.h"
#include "gateway/txn.h"
#include "gateway/wait_slots.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_STEP_MS 100

/* Sleeps in short steps until the status differs from `from` or time is
 * up.  A poll, not a LISTEN: a NOTIFY per state change would be queued at
 * every flow's commits under a lock all notifying commits take in turn,
 * while polling costs only the terminals that wait (PAYGW_WAIT_SLOTS). */
static void wait_for_change(struct request *rq, const char *from, long seconds)
{
  struct timespec step = { 0, WAIT_STEP_MS * 1000000L };
  long steps = seconds * 1000 / WAIT_STEP_MS;
  char status[32];

  for (long i = 0; i < steps; i++) {
    nanosleep(&step, NULL);
    if (db_txn_status(rq->db, rq->path_param, rq->terminal.merchant_id, status) != DB_ONE_ROW
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
  if (*text == '\0' || *end || n < 0 || n > 3600) { /* more than the cap is held only the cap */
    *bad = true;
    return 0;
  }
  return n > settings.wait_max_s ? settings.wait_max_s : n;
}

int ep_transaction_get(struct request *rq)
{
  char from[32];
  struct txn_view v;
  bool bad;
  long wait = wait_seconds(rq, &bad);

  if (bad)
    return CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "wait: whole seconds, 0-3600 (held at most %ld)",
                        settings.wait_max_s);
  enum db_status st =
      db_txn_view(rq->db, rq->path_param, rq->terminal.merchant_id, &v); /* an overdue one shows as expired */
  if (st < 0)
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  if (!v.found)
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  if (wait > 0) {
    if (request_query_param(rq, "status", from, sizeof from) != 0)
      snprintf(from, sizeof from, "%s", v.status);
    int slot = -1;
    if (strcmp(v.status, from) == 0 && !txn_is_final(from) && (slot = wait_slot_acquire()) < 0)
      reply_add_header(rq, "Retry-After: 1"); /* every wait slot is taken: ask again soon */
    if (slot >= 0) {
      wait_for_change(rq, from, wait);
      wait_slot_release(slot);
      free(v.items);
      st = db_txn_view(rq->db, rq->path_param, rq->terminal.merchant_id, &v);
      if (st != DB_ONE_ROW || !v.found) {
        free(v.items);
        return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
      }
    }
  }
  json_t *view = txn_terminal_view(&v);
  free(v.items);
  json_object_set_new(view, "merchant",
                      json_pack("{s:s, s:s}", "code", rq->terminal.merchant_code, "name", rq->terminal.merchant_name));
  json_object_set_new(view, "shop", json_string(rq->terminal.shop_name));
  return reply_json(rq, 200, view);
}
