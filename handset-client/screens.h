/* screens.h — what the handset shows: the card list (figure 13), the
 * transaction details with Agree / Not agree (figure 16), the payment methods
 * (figure 17), a refund of a payment.  Pure functions writing to a FILE, so unit tests read them
 * back; and the choice of a method checked against what the gateway offered. */
#ifndef PAYGW_HANDSET_SCREENS_H
#define PAYGW_HANDSET_SCREENS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "handset-client/uim.h"

/* Figure 13: the cards, numbered from 1. */
void screen_cards(FILE *out, const struct uim_store *s);

/* Figure 16: shop, items, tax, total, binding code, card — from the
 * device-auth answer (docs/api.md). */
void screen_details(FILE *out, const json_t *details);

/* The second embodiment's confirmation ([0149]-[0151]): shop, merchant,
 * binding code, items, tax, total and the reply deadline of a
 * token_confirmation message (docs/handset.md). */
void screen_token(FILE *out, const json_t *message);

/* True when a `refund` message has every part the screen shows, each in
 * its form: an rf_ ID, a transaction, kind refund or void, a known
 * currency, 0 < amount <= refunded <= total. */
bool refund_message_valid(const json_t *message);

/* A `refund` message of the gateway (a refund of one of the user's
 * payments completed, docs/handset.md): shop and merchant, transaction,
 * refund ID and kind, the amount back, refunded so far of the payment's
 * total, when.  Text from the message is made safe to print.  Returns 0,
 * or -1 (printing nothing) when !refund_message_valid. */
int screen_refund(FILE *out, const json_t *message);

/* Figure 17: the allowed methods, numbered from 1.  Returns their count. */
size_t screen_methods(FILE *out, const json_t *methods);

/* Checks a chosen method (and installment count, 0 when none) against the
 * offered list.  Returns 0, or -1 with the reason in err. */
int method_check(const json_t *methods, const char *method, long installments, char *err, size_t errlen);

/* The method code of entry `index` (1-based) in methods, or NULL. */
const char *method_at(const json_t *methods, size_t index);

/* A method's installment counts as "3, 6, 12" into buf ("" when none). */
const char *method_installments_text(const json_t *methods, const char *method, char *buf, size_t len);

#endif
