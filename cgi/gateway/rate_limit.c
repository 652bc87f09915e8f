/* rate_limit.c — see rate_limit.h. */
#include "gateway/rate_limit.h"
#include "gateway/db/queries.h"
#include "gateway/reply.h"
#include "gateway/settings.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rate_limit_params(long rate, long burst, char interval[32], char tolerance[32])
{
  /* seconds, not money: a double is exact enough (microseconds) */
  snprintf(interval, 32, "%.6f", 1.0 / (double)rate);
  snprintf(tolerance, 32, "%.6f", (double)burst / (double)rate);
}

long rate_limit_retry_after(const char *wait_s)
{
  char *end;
  double wait = strtod(wait_s, &end);

  if (end == wait_s || wait < 1.0)
    return 1;
  return wait > 3600.0 ? 3600 : (long)wait;
}

bool rate_limit_terminal(struct request *rq, int *status)
{
  char terminal[24], interval[32], tolerance[32], retry[40];
  PGresult *res;

  snprintf(terminal, sizeof terminal, "%" PRId64, rq->terminal.terminal_id);
  rate_limit_params(settings.terminal_rate, settings.terminal_burst, interval, tolerance);
  const char *params[] = { terminal, interval, tolerance };
  if (db_exec(rq->db, &q_terminal_rate_take, params, &res) != DB_ONE_ROW) {
    if (res)
      PQclear(res);
    *status = reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
    return true;
  }
  bool allowed = strcmp(db_get(res, 0, "allowed"), "1") == 0;
  long wait = rate_limit_retry_after(db_get(res, 0, "wait_s"));
  PQclear(res);
  if (allowed)
    return false;
  snprintf(retry, sizeof retry, "Retry-After: %ld", wait);
  reply_add_header(rq, retry);
  *status = CLIENT_FAULT(rq, PROBLEM_RATE_LIMITED,
                         "terminal %s asked for more than %ld new transactions per second (bursts of %ld); "
                         "try again in %ld s", rq->terminal.terminal_code, settings.terminal_rate,
                         settings.terminal_burst, wait);
  return true;
}
