/* ep_transaction_get.c — GET /v1/transactions/{number}: the terminal that
 * made the transaction reads its status and, when done, the completion for
 * the receipt (S13).  ?wait=N holds the answer until the status changes
 * (long polling, so the POS need not poll hard). */
#include "gateway/db/queries.h"
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

static enum db_status read_view(struct request *rq, const char *merchant, PGresult **res)
{
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, rq->path_param);
  db_param_text(&params, merchant);
  return txn_fetch(rq->db, &q_txn_for_merchant, &params, res);   /* an overdue one shows as expired */
}

/* Sleeps in short steps until the status differs from `from` or time is up. */
static void wait_for_change(struct request *rq, const char *merchant, const char *from, long seconds)
{
  struct timespec step = { 0, WAIT_STEP_MS * 1000000L };
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, rq->path_param);
  db_param_text(&params, merchant);
  long steps = seconds * 1000 / WAIT_STEP_MS;

  for (long i = 0; i < steps; i++) {
    PGresult *res;
    nanosleep(&step, NULL);
    if (db_call(rq->db, &q_txn_status, &params, &res) != DB_ONE_ROW) {
      if (res)
        PQclear(res);
      return;
    }
    bool changed = strcmp(db_text(res, 0, "status"), from) != 0;
    PQclear(res);
    if (changed)
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
  if (*text == '\0' || *end || n < 0 || n > 3600) {   /* more than the cap is held only the cap */
    *bad = true;
    return 0;
  }
  return n > settings.wait_max_s ? settings.wait_max_s : n;
}

int ep_transaction_get(struct request *rq)
{
  char merchant[24], from[32];
  PGresult *res = NULL;
  bool bad;
  long wait = wait_seconds(rq, &bad);

  if (bad)
    return CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "wait: whole seconds, 0-3600 (held at most %ld)",
                        settings.wait_max_s);
  snprintf(merchant, sizeof merchant, "%" PRId64, rq->terminal.merchant_id);
  enum db_status st = read_view(rq, merchant, &res);
  if (st < 0)
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  if (st == DB_NO_ROWS) {
    PQclear(res);
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  }
  if (wait > 0) {
    if (request_query_param(rq, "status", from, sizeof from) != 0)
      snprintf(from, sizeof from, "%s", db_text(res, 0, "status"));
    int slot = -1;
    if (strcmp(db_text(res, 0, "status"), from) == 0 && !txn_is_final(from)
        && (slot = wait_slot_acquire()) < 0)
      reply_add_header(rq, "Retry-After: 1");   /* every wait slot is taken: ask again soon */
    if (slot >= 0) {
      PQclear(res);
      wait_for_change(rq, merchant, from, wait);
      wait_slot_release(slot);
      st = read_view(rq, merchant, &res);
      if (st != DB_ONE_ROW) {
        if (res)
          PQclear(res);
        return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
      }
    }
  }
  json_t *view = txn_terminal_view(res);
  PQclear(res);
  json_object_set_new(view, "merchant", json_pack("{s:s, s:s}", "code", rq->terminal.merchant_code,
                                                  "name", rq->terminal.merchant_name));
  json_object_set_new(view, "shop", json_string(rq->terminal.shop_name));
  return reply_json(rq, 200, view);
}
