/* money.c — see money.h. */
#include "gateway/money.h"

#include <string.h>

static const struct currency currencies[] = {
  { "JPY", "392", 0 },
  { "USD", "840", 2 },
  { "EUR", "978", 2 },
  { "GBP", "826", 2 },
  { NULL, NULL, 0 }
};

const struct currency *currency_by_alpha(const char *alpha)
{
  for (const struct currency *c = currencies; c->alpha; c++)
    if (strcmp(c->alpha, alpha) == 0)
      return c;
  return NULL;
}

/* Each factor is bounded by validation (quantity <= 9999, price and tax <=
 * 10^10), so a line fits int64 and the running sum is checked per line. */
int items_total(const json_t *items, int64_t *total, int64_t *tax_total)
{
  size_t i;
  json_t *item;

  *total = 0;
  *tax_total = 0;
  json_array_foreach(items, i, item) {
    int64_t qty = json_integer_value(json_object_get(item, "quantity"));
    int64_t price = json_integer_value(json_object_get(item, "unit_price"));
    int64_t tax = json_integer_value(json_object_get(item, "tax"));
    int64_t line = qty * price + tax;
    if (line < 0 || *total > MONEY_MAX_TOTAL - line)
      return -1;
    *total += line;
    *tax_total += tax;
  }
  return 0;
}
