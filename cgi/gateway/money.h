/* money.h — totals.  Amounts are integer minor units; a sale's total must
 * fit ISO 8583 field 4 (12 digits).  The currencies are lib/common's
 * (money_text.h). */
#ifndef PAYGW_MONEY_H
#define PAYGW_MONEY_H

#include "common/money_text.h" /* struct currency, currency_by_alpha */
#include "gateway/bodies.h"

#include <jansson.h>
#include <stdint.h>

#define MONEY_MAX_TOTAL 999999999999LL
/* for messages: grouped, so that pan_scrub does not take it for a card number */
#define MONEY_MAX_TOTAL_TEXT "999,999,999,999"

/* Sums quantity * unit_price + tax over n validated items.  Returns 0, or
 * -1 when the total would exceed MONEY_MAX_TOTAL. */
int items_total(const struct item *items, size_t n, int64_t *total, int64_t *tax_total);

/* The items as JSON text, as stored with the transaction and shown on the
 * handset (malloc'd; NULL when out of memory). */
char *items_json_text(const struct item *items, size_t n);

#endif
