/* money.h — sums of the web pages (lib/web): a line's tax and an order's totals, in
 * integer minor units (never floating point). */
#ifndef WEB_MONEY_H
#define WEB_MONEY_H

#include <stdint.h>

/* The tax of one line: floor(quantity × unit_price × rate_pct / 100),
 * rounded down as Japanese shops do.  -1 for a negative input or one
 * whose product would not fit (the shop's bounds keep far below). */
int64_t money_line_tax(int64_t unit_price, int64_t quantity, int rate_pct);

struct money_totals {
  int64_t subtotal, tax_total, total;
};

/* Adds one line (quantity × unit_price, and its tax) to t; -1 when a sum
 * would overflow, t unchanged. */
int money_add_line(struct money_totals *t, int64_t unit_price, int64_t quantity, int64_t tax);

#endif
