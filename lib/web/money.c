/* money.c — tax per line, the totals of a cart or an order, and amounts as text. */
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

void money_format(int64_t amount, char *out, unsigned outlen)
{
  char digits[32], grouped[48];
  int n = snprintf(digits, sizeof digits, "%lld", (long long)(amount < 0 ? -amount : amount));
  int g = 0;

  if (amount < 0)
    grouped[g++] = '-';
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0)
      grouped[g++] = ',';
    grouped[g++] = digits[i];
  }
  grouped[g] = '\0';
  snprintf(out, outlen, "%s", grouped);
}
