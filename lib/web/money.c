/* money.c — tax per line and the totals of a cart or an order (amounts as
 * text: amount.h). */
#include "web/money.h"

#include <stdio.h>
#include <string.h>

#define MONEY_MAX 999999999999LL /* what ISO 8583 field 4 can carry */

int64_t money_line_tax(int64_t unit_price, int64_t quantity, int rate_pct)
{
  if (unit_price < 0 || quantity < 0 || rate_pct < 0 || rate_pct > 100)
    return -1;
  if (quantity != 0 && unit_price > MONEY_MAX / quantity)
    return -1;
  int64_t net = unit_price * quantity;
  return net / 100 * rate_pct + net % 100 * rate_pct / 100;
}

int money_add_line(struct money_totals *t, int64_t unit_price, int64_t quantity, int64_t tax)
{
  if (unit_price < 0 || quantity < 0 || tax < 0 || (quantity != 0 && unit_price > MONEY_MAX / quantity))
    return -1;
  int64_t net = unit_price * quantity;
  if (t->subtotal > MONEY_MAX - net || t->tax_total > MONEY_MAX - tax || t->total > MONEY_MAX - net - tax)
    return -1;
  t->subtotal += net;
  t->tax_total += tax;
  t->total += net + tax;
  return 0;
}
