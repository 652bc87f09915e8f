/* money.c — see money.h. */
#include "gateway/money.h"

#include <string.h>

/* Each factor is bounded by validation (quantity <= 9999, price and tax <=
 * 10^10), so a line fits int64 and the running sum is checked per line. */
int items_total(const struct item *items, size_t n, int64_t *total, int64_t *tax_total)
{
  *total = 0;
  *tax_total = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t line = items[i].quantity * items[i].unit_price + items[i].tax;
    if (line < 0 || *total > MONEY_MAX_TOTAL - line)
      return -1;
    *total += line;
    *tax_total += items[i].tax;
  }
  return 0;
}

char *items_json_text(const struct item *items, size_t n)
{
  json_t *list = json_array();

  for (size_t i = 0; i < n; i++)
    json_array_append_new(list, json_pack("{s:s, s:I, s:I, s:I}", "name", items[i].name, "quantity",
                                          (json_int_t)items[i].quantity, "unit_price", (json_int_t)items[i].unit_price,
                                          "tax", (json_int_t)items[i].tax));
  char *text = json_dumps(list, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(list);
  return text;
}
