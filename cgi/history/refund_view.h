/* refund_view.h — what the history shows of a payment's refunds and voids
 * (gateway.refunds, sql/0023; issue 15): the list's badge, the receipt's
 * "Refunds" section, the words for a refund's kind and status.  Pure: no
 * database, no request (unit-tested in tests/unit/test_history_pages.c). */
#ifndef HISTORY_REFUND_VIEW_H
#define HISTORY_REFUND_VIEW_H

#include <jansson.h>
#include <stdint.h>

/* "refunded" when the completed refunds cover the total, "partly_refunded"
 * when they cover part of it, NULL when nothing was refunded. */
const char *history_refund_state(int64_t refunded, int64_t total);

/* "Refunded", "Partly refunded" for those states, NULL for NULL. */
const char *history_refund_state_text(const char *state);

/* "Void" / "Refund"; "Pending", "Completed", "Declined", "Failed (no
 * answer from the card issuer)" (the word itself when unknown). */
const char *history_refund_kind_text(const char *kind);
const char *history_refund_status_text(const char *status);

/* The stored refunds (history_detail.refunds: [[kind, amount, status,
 * reason|null, "YYYY-MM-DD HH:MM:SS", ended|null, code|null], ...]) as the
 * receipt shows them (new reference), with *refunded the sum of the
 * completed ones; NULL when the text is not that (a bug). */
json_t *history_refunds_json(const char *stored, const char *currency, int64_t *refunded);

#endif
