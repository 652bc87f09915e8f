/* sweep.h — the recovery step each worker runs at start and then every
 * PAYGW_SWEEP_EVERY seconds (after a request, or while idle): reverses authorizations
 * that have no recorded answer (a worker died between send and answer) and
 * repeats unacknowledged reversals; expires transactions whose waiting time
 * ran out; forgets idempotency keys older than 48 h. */
#ifndef PAYGW_SWEEP_H
#define PAYGW_SWEEP_H

#include "gateway/db/db.h"

#include <time.h>

/* Runs the sweep when it is due (always when force).  Returns how many
 * authorizations it reversed or tried to. */
int sweep_if_due(struct db *db, time_t now, int force);

/* Seconds until the next sweep is due (at least 1). */
long sweep_due_in(time_t now);

#endif
