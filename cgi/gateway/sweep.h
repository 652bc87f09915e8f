/* sweep.h — the gateway's background work, done by paygw-sweeper
 * (sweeper_main.c) and never by a FastCGI worker: reversals sent until
 * acknowledged, with back-off; authorizations a dead worker left "sent"
 * failed and reversed; refunds repeated (0221 / 0401) until answered, or
 * given up after PAYGW_REFUND_GIVE_UP_S; overdue transactions expired;
 * idempotency keys older than 48 h forgotten. */
#ifndef PAYGW_SWEEP_H
#define PAYGW_SWEEP_H

#include "db/db.h"

#include <stdbool.h>

/* The channel a worker NOTIFYs (gateway.do_fail_authorization, db/auth_fail.c) when a reversal falls due,
 * and the sweeper LISTENs on. */
#define SWEEPER_CHANNEL "paygw_sweep"

/* The key of the PostgreSQL advisory lock the working sweeper holds ("paygw"
 * in ASCII, as a bigint). */
#define SWEEPER_LOCK_KEY "482671683447"

/* One pass: settles abandoned "sent" authorizations, expires and forgets
 * (at most every PAYGW_SWEEP_EVERY seconds), then sends due reversals one
 * at a time, oldest due first, while go_on(db) holds and PAYGW_SWEEP_BUDGET_MS
 * has not run out (the attempt in hand finishes).  Returns the milliseconds
 * until the next row falls due (0: now, more is due than the budget
 * allowed), or -1 when nothing is open. */
long sweep_pass(struct db *db, bool (*go_on)(struct db *db));

#endif
