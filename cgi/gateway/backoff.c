/* backoff.c — see backoff.h. */
#include "gateway/backoff.h"

#include <limits.h>

long backoff_ms(int attempt, long base_ms, long cap_ms)
{
  long delay = base_ms < 1 ? 1 : base_ms;

  if (cap_ms < 1)
    cap_ms = 1;
  /* doubling stops at the cap, so the loop is short and nothing overflows */
  for (int i = 1; i < attempt && delay < cap_ms; i++)
    delay = delay > cap_ms / 2 ? cap_ms : delay * 2;
  return delay < cap_ms ? delay : cap_ms;
}

int backoff_leases(long lease_ms[], int max, long fixed_ms, long base_ms, long cap_ms)
{
  int n = 0;
  long wait;

  do {
    n++;
    wait = backoff_ms(n, base_ms, cap_ms);
    lease_ms[n - 1] = fixed_ms > LONG_MAX - wait ? LONG_MAX : fixed_ms + wait;
  } while (n < max && wait < cap_ms);
  return n;
}

long sweep_wait_ms(long due_in_ms, long every_s)
{
  long longest = every_s < 0 ? 0 : every_s * 1000;

  if (due_in_ms < 0 || due_in_ms > longest)
    return longest;
  return due_in_ms;
}
