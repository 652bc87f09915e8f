/* txn.h — what the endpoints share about one transaction: locking it by
 * number (expiring it first when its waiting state has run out), and the
 * JSON a terminal sees. */
#ifndef PAYGW_TXN_H
#define PAYGW_TXN_H

#include "db/db.h"
#include "gateway/request.h"

#include <jansson.h>
#include <stdbool.h>

/* What txn_read does, for any statement reading the transaction columns
 * (expired first when overdue, then read again). */
enum db_status txn_fetch(struct db *db, struct db_statement *st_read, const struct db_params *params, PGresult **res);

/* Transaction `number` into *res, unlocked.  When its waiting state is
 * over it is moved to `expired` first and read again, so callers see the
 * state as it really is.  DB_ONE_ROW, DB_NO_ROWS, or an error. */
enum db_status txn_read(struct db *db, const char *number, PGresult **res);

/* True when status is one of the states a transaction ends in. */
bool txn_is_final(const char *status);

/* The terminal's view (GET /v1/transactions/{n}) of a transaction read
 * with db_txn_view. */
struct txn_view;
json_t *txn_terminal_view(const struct txn_view *v);

/* Who a transaction belongs to, as the calls answer it. */
struct txn_ref {
  char id[24], number[24], user_id[40], device_id[24];
};

/* The `completion` message for the handset at the end of ref's transaction
 * (not yet signed or stored). */
json_t *txn_completion_message(const struct txn_ref *ref, const char *status, const char *approval,
                               const char *reason);

/* ... signed and put in the handset's mailbox. */
enum db_status txn_notify_handset(struct db *db, const struct txn_ref *ref, const char *status,
                                  const char *approval, const char *reason);

/* Answers the problem for "not found / wrong state" uniformly. */
int txn_reply_wrong_state(struct request *rq, const char *status, const char *doing);



/* Why a handset's session endpoint cannot see the transaction. */
enum txn_access { TXN_OK, TXN_UNKNOWN, TXN_BAD_SESSION, TXN_DB_ERROR };

/* Answers TXN_UNKNOWN / TXN_BAD_SESSION / TXN_DB_ERROR. */
int txn_reply_access(struct request *rq, enum txn_access access);

#endif
