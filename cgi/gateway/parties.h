/* parties.h — issue 6: the enrolment rows a payment rests on (its card,
 * user ID, handset, subscriber, the card's issuer, the merchant and the
 * terminal), checked still active in the database transaction that moves
 * the payment to authorizing, so nothing disabled after device-auth is
 * charged (ep_payment_method_post.c). */
#ifndef PAYGW_PARTIES_H
#define PAYGW_PARTIES_H

/* The decline code of a payment refused for a disabled party. */
#define PARTIES_DECLINE_CODE "enrolment_disabled"

/* The reason to give (static text) for the first party whose status, as
 * status_of(ctx, column) answers it for the parties' columns
 * (card_status, user_status, ...), is not "active"; NULL when all are. */
const char *parties_inactive_reason(const char *(*status_of)(void *ctx, const char *column), void *ctx);

#endif
