/* parties.h — issue 6: the enrolment rows a payment rests on (its card,
 * user ID, handset, subscriber, the card's issuer, the merchant and the
 * terminal), checked still active in the database transaction that moves
 * the payment to authorizing, so nothing disabled after device-auth is
 * charged (ep_payment_method_post.c). */
#ifndef PAYGW_PARTIES_H
#define PAYGW_PARTIES_H

#include "db/db.h"

/* The decline code of a payment refused for a disabled party. */
#define PARTIES_DECLINE_CODE "enrolment_disabled"

/* The reason to give (static text) for the first party whose status, as
 * status_of(ctx, column) answers it for q_txn_parties' columns
 * (card_status, user_status, ...), is not "active"; NULL when all are. */
const char *parties_inactive_reason(const char *(*status_of)(void *ctx, const char *column), void *ctx);

/* Reads the parties of transaction txn_id (locking the shopper's rows until
 * the commit) and sets *reason as parties_inactive_reason does.  Returns
 * DB_ONE_ROW, or an error (DB_NO_ROWS, which cannot happen for a locked
 * transaction, is returned as DB_HARD_ERROR). */
enum db_status parties_check(struct db *db, const char *txn_id, const char **reason);

#endif
