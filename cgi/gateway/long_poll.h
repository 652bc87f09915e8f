/* long_poll.h — `?wait=N&status=S` of the GET endpoints that follow a
 * state (GET /v1/transactions/{n}, GET /v1/tokens/{id}): the answer is
 * held while the state is still S (default: the state now) and not final,
 * for at most N seconds (capped at PAYGW_WAIT_MAX), and a change ends the
 * wait within a step.  With every wait slot taken (PAYGW_WAIT_SLOTS) it
 * does not wait: the answer says Retry-After: 1. */
#ifndef PAYGW_LONG_POLL_H
#define PAYGW_LONG_POLL_H

#include "db/db.h"
#include "gateway/request.h"

#include <stdbool.h>

/* The endpoint's own read of the state now into status (32 bytes):
 * DB_ONE_ROW, or anything else to end the wait (gone or unreadable). */
typedef enum db_status (*long_poll_read)(struct request *rq, char status[32]);

/* ?wait= in whole seconds, 0 when absent, at most settings.wait_max_s;
 * -1 when it is not 0-3600 (answer long_poll_refuse). */
long long_poll_seconds(struct request *rq);

/* The 400 for a malformed ?wait=. */
int long_poll_refuse(struct request *rq);

/* Holds the request while the state is `now` (or ?status=) and not
 * is_final, for at most `seconds`.  True when it waited: the caller reads
 * the state again for its answer. */
bool long_poll_hold(struct request *rq, const char *now, bool (*is_final)(const char *), long seconds,
                    long_poll_read read);

#endif
