/* stan.h — the POS's own system trace audit numbers (field 11 of its token
 * 0100s) and the marks of its token sales in flight.  The counter is a file
 * next to the journal ("<journal>.stan"), read and advanced under a lock on
 * its first byte, so two POS processes sharing a journal never take the
 * same number.  A sale in flight holds a lock on the byte at its STAN's
 * offset in the same file: an open file description lock, which the kernel
 * drops when its process ends, so the start-up recovery of another POS
 * (token.h) never reverses a sale that a living POS is still sending, and
 * does take over one whose POS died. */
#ifndef PAYGW_POS_STAN_H
#define PAYGW_POS_STAN_H

#include <stdbool.h>
#include <stddef.h>

#define STAN_MAX 999999UL

struct pos_stan {
  int fd;
  char path[4200];
};

/* Opens (creates, mode 0600) the counter beside journal.  Returns 0 or -1
 * with err. */
int stan_open(struct pos_stan *st, const char *journal, char *err, size_t errlen);

/* The next STAN (1-999999, then 1 again), held in flight by this process.
 * Returns 0 or -1 with err. */
int stan_next(struct pos_stan *st, unsigned long *stan, char *err, size_t errlen);

/* Holds stan in flight (recovery taking over a sale).  Returns 0, or -1
 * when another process holds it (its POS is alive and still on it). */
int stan_hold(struct pos_stan *st, unsigned long stan);

/* The sale of stan has ended: its mark goes. */
void stan_release(struct pos_stan *st, unsigned long stan);

void stan_close(struct pos_stan *st);

#endif
