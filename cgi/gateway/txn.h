/* txn.h — what the endpoints share about one transaction: its final
 * states, the JSON a terminal sees, the handset's completion message and
 * the problems answered for a transaction that cannot be seen or moved. */
#ifndef PAYGW_TXN_H
#define PAYGW_TXN_H

#include "db/db.h"
#include "gateway/request.h"

#include <jansson.h>
#include <stdbool.h>

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
 * (not yet signed or stored: mailbox_seal, then the call that ends the
 * transaction stores it). */
json_t *txn_completion_message(const struct txn_ref *ref, const char *status, const char *approval, const char *reason);

/* Answers the problem for "not found / wrong state" uniformly. */
int txn_reply_wrong_state(struct request *rq, const char *status, const char *doing);

/* Why a handset's session endpoint cannot see the transaction. */
enum txn_access { TXN_OK, TXN_UNKNOWN, TXN_BAD_SESSION, TXN_DB_ERROR };

/* Answers TXN_UNKNOWN / TXN_BAD_SESSION / TXN_DB_ERROR. */
int txn_reply_access(struct request *rq, enum txn_access access);

#endif
