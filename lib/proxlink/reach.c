/* reach.c — reachability changes and back-off for the clients (reach.h). */
#include "proxlink/reach.h"

#include <stdio.h>

void gw_reach_init(struct gw_reach *r, long min_s, long max_s)
{
  r->min_s = min_s < 1 ? 1 : min_s;
  r->max_s = max_s < r->min_s ? r->min_s : max_s;
  r->down = false;
  r->down_since = 0;
  r->failures = 0;
}

bool gw_reach_note(struct gw_reach *r, bool answered, time_t now, const char *error, char *line, size_t len)
{
  if (answered) {
    bool was_down = r->down;
    long down_for = (long)(now - r->down_since);
    r->down = false;
    r->failures = 0;
    if (was_down)
      snprintf(line, len, "Gateway reachable again after %ld s.", down_for < 0 ? 0 : down_for);
    return was_down;
  }
  if (r->failures < 64)
    r->failures++;
  if (r->down)
    return false;
  r->down = true;
  r->down_since = now;
  snprintf(line, len, "Gateway not reachable: %s. Trying again, waiting longer each time (up to %ld s between tries).",
           error && *error ? error : "no answer", r->max_s);
  return true;
}

long gw_reach_wait(const struct gw_reach *r)
{
  long wait = r->min_s;

  if (!r->down)
    return 0;
  for (unsigned i = 1; i < r->failures && wait < r->max_s; i++)
    wait *= 2;
  return wait < r->max_s ? wait : r->max_s;
}
