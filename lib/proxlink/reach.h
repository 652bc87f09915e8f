/* reach.h — how the clients wait for a gateway that does not answer: the
 * first try without an answer is reported once, the next tries wait longer
 * each time (from a minimum, doubling, up to a maximum) and say nothing, and
 * the first answer after them is reported once ("reachable again after
 * N s").  One line per change, not per try.  Pure bookkeeping (the caller
 * makes the calls and prints the lines); unit-tested in test_proxlink.c. */
#ifndef PAYGW_REACH_H
#define PAYGW_REACH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The default most seconds between tries (PAYGW_CLIENT_BACKOFF_MAX). */
#define GW_REACH_BACKOFF_MAX 30

struct gw_reach {
  long min_s, max_s; /* bounds of the wait between tries */
  bool down;         /* the last try got no answer */
  time_t down_since; /* when the first of those tries failed */
  unsigned failures; /* tries without an answer since then */
};

/* Starts in the "reachable" state; waits between failed tries run from
 * min_s to max_s (both at least 1). */
void gw_reach_init(struct gw_reach *r, long min_s, long max_s);

/* Records one try at `now`: answered (any HTTP answer came) or not (error
 * says why, as libcurl put it).  When this changes the state, writes the
 * one line to show into line and returns true:
 *   "Gateway not reachable: <error>. Trying again, waiting longer each
 *    time (up to <max> s between tries)."
 *   "Gateway reachable again after <N> s."
 * Otherwise returns false and leaves line alone. */
bool gw_reach_note(struct gw_reach *r, bool answered, time_t now, const char *error, char *line, size_t len);

/* Seconds to wait before the next try while the gateway does not answer:
 * min_s after the first failure, doubling after each further one, at most
 * max_s; 0 while it answers. */
long gw_reach_wait(const struct gw_reach *r);

#endif
