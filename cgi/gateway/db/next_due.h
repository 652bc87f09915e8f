/* next_due.h — db_next_due_ms: the shared tail of the "how long may I
 * sleep" reads of the sweeper (auth_next_due.c, refund_next_due.c) and the
 * webhook sender (webhook_next_due.c). */
#ifndef PAYGW_DB_NEXT_DUE_H
#define PAYGW_DB_NEXT_DUE_H

#include "db/db.h"

/* Runs st, an aggregate that answers one row whose column due_in_ms is the
 * milliseconds until the next piece of work falls due, NULL when none
 * waits.  DB_ONE_ROW with *due_ms >= 0 (work already overdue is 0),
 * DB_NO_ROWS when none waits, or the error; *due_ms is -1 unless
 * DB_ONE_ROW. */
enum db_status db_next_due_ms(struct db *db, struct db_statement *st, const struct db_params *p, long *due_ms);

#endif
