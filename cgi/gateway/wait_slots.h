/* wait_slots.h — how many workers may hold a long poll (GET
 * /v1/transactions/{n}?wait=) at once.  A worker serves one request at a
 * time, so if every worker sat in a POS's wait, the handsets' requests that
 * would end those waits could not be served.  A slot is an flock on one of
 * PAYGW_WAIT_SLOTS files in the run folder, shared by all workers of the
 * stack and released by the kernel if a worker dies. */
#ifndef PAYGW_WAIT_SLOTS_H
#define PAYGW_WAIT_SLOTS_H

/* A held slot (a file descriptor), or -1 when all are busy (or the run
 * folder is unusable): then answer without waiting. */
int wait_slot_acquire(void);
void wait_slot_release(int slot);

#endif
