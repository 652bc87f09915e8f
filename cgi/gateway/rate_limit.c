/* rate_limit.c — see rate_limit.h. */
#include "gateway/rate_limit.h"
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

int rate_limit_reply(struct request *rq, const char *wait_s)
{
  char retry[40];
  long wait = rate_limit_retry_after(wait_s);

  snprintf(retry, sizeof retry, "Retry-After: %ld", wait);
  reply_add_header(rq, retry);
  return CLIENT_FAULT(rq, PROBLEM_RATE_LIMITED,
                      "terminal %s asked for more than %ld new transactions per second (bursts of %ld); "
                      "try again in %ld s",
                      rq->terminal.terminal_code, settings.terminal_rate, settings.terminal_burst, wait);
}
