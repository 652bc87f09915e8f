/* refund_view.h — the shop's refunds as its pages show them (issue 15,
 * docs/shop.md "Refunds"): the order's refunded state, the rows of its
 * "Refunds" section, the owner's refund form's fields checked, the words
 * of what became of a refund asked for.  Pure: no database, no request
 * (unit-tested in tests/unit/test_shop.c). */
#ifndef SHOP_REFUND_VIEW_H
#define SHOP_REFUND_VIEW_H

#include "shop/db/shop_db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* "refunded" when the completed refunds cover the total,
 * "partly_refunded" when they cover part, NULL when none completed. */
const char *refund_order_state(int64_t refunded, int64_t total);

/* "Refunded", "Partly refunded" (NULL for NULL). */
const char *refund_order_state_text(const char *state);

/* The rows of an order's "Refunds" section (new reference), *refunded the
 * sum of the completed ones. */
json_t *refund_rows_json(const struct refund_row *rows, int n, int64_t *refunded);

/* The form's amount: 1 to 12 ASCII digits, no sign, no leading zero, at
 * most max.  0, or -1 (nothing stored in *out). */
int refund_amount_parse(const char *text, int64_t max, int64_t *out);

/* The form's reason as the gateway takes it: "" (none), or valid UTF-8 of
 * 1 to 200 characters with no control character. */
bool refund_reason_ok(const char *reason);

/* An Idempotency-Key the gateway takes ("shop-refund-" and 32 hex digits,
 * of 128 random bits), as the owner's form carries it; checked on return. */
#define REFUND_KEY_PREFIX "shop-refund-"
#define REFUND_KEY_LEN (sizeof REFUND_KEY_PREFIX - 1 + 32)
int refund_key_make(char out[REFUND_KEY_LEN + 1]);
bool refund_key_ok(const char *key);

/* Whether a refund the gateway told of (its 201 or a refund.* webhook)
 * has what shop.refunds keeps: an rf_ ID, kind void or refund, an amount,
 * a three-letter currency, a reason of at most 200 characters (sql/0026's
 * checks, so a malformed one is refused here rather than by the
 * database). */
bool refund_event_valid(const struct refund_event *ev);

/* The owner page's notice of what became of a refund asked for (the word
 * of its redirect, ?refund_result=WORD), NULL for a word it never writes. */
const char *refund_result_text(const char *result);
/* The same word as a string of the table (which lives as long as the
 * program), NULL for a word it never writes. */
const char *refund_result_word(const char *result);

#endif
