/* txn.h — what the endpoints share about one transaction: locking it by
 * number (expiring it first when its waiting state has run out), and the
 * JSON a terminal sees. */
#ifndef PAYGW_TXN_H
#define PAYGW_TXN_H

#include "db/db.h"
#include "gateway/request.h"

#include <jansson.h>
#include <stdbool.h>

/* Locks the transaction `number` (FOR UPDATE) into *res.  When its waiting
 * state is over it is moved to `expired` first and read again, so callers
 * see the state as it really is.  DB_ONE_ROW, DB_NO_ROWS, or an error. */
enum db_status txn_lock(struct db *db, const char *number, PGresult **res);

/* What txn_lock and txn_read do, for any statement reading the transaction
 * columns (expired first when overdue, then read again). */
enum db_status txn_fetch(struct db *db, struct db_statement *st_read, const struct db_params *params, PGresult **res);

/* The same without the row lock, for answers that change nothing. */
enum db_status txn_read(struct db *db, const char *number, PGresult **res);

/* True when status is one of the states a transaction ends in. */
bool txn_is_final(const char *status);

/* The terminal's view (GET /v1/transactions/{n}) of a row read with the
 * transaction columns. */
json_t *txn_terminal_view(PGresult *res);

/* Who a transaction belongs to, copied out of its row for use after the
 * row (PGresult) is gone. */
struct txn_ref {
  char id[24], number[24], user_id[40], device_id[24];
};
void txn_ref_from(PGresult *res, struct txn_ref *ref);

/* The `completion` message for the handset at the end of ref's transaction
 * (not yet signed or stored). */
json_t *txn_completion_message(const struct txn_ref *ref, const char *status, const char *approval,
                               const char *reason);

/* ... signed and put in the handset's mailbox. */
enum db_status txn_notify_handset(struct db *db, const struct txn_ref *ref, const char *status,
                                  const char *approval, const char *reason);

/* Answers the problem for "not found / wrong state" uniformly. */
int txn_reply_wrong_state(struct request *rq, const char *status, const char *doing);



/* For the handset's session endpoints: locks the transaction and checks the
 * request's session (rq->session_hash).  Returns TXN_OK with *res set, or
 * why not (nothing locked, *res NULL). */
enum txn_access { TXN_OK, TXN_UNKNOWN, TXN_BAD_SESSION, TXN_DB_ERROR };
enum txn_access txn_lock_for_session(struct db *db, struct request *rq, PGresult **res);
enum txn_access txn_for_session(struct db *db, struct request *rq, PGresult **res, bool lock);

/* Answers TXN_UNKNOWN / TXN_BAD_SESSION / TXN_DB_ERROR. */
int txn_reply_access(struct request *rq, enum txn_access access);

#endif
