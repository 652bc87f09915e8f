/* cart_view.c — the cart's lines priced as the checkout will price them
 * (money.c), for the catalog's cart link and the cart page; amounts in the
 * shop's currency as the pages show them. */
#include "shop/cart_view.h"
#include "shop/db/shop_db.h"
#include "common/money_text.h"
#include "web/money.h"
#include "shop/reply.h"
#include "shop/settings.h"

#include <stdlib.h>

json_t *shop_amount_json(int64_t minor)
{
  char text[40];
  money_text_display(minor, shop_settings.currency, text, sizeof text);
  return json_string(text);
}

int cart_view_fill(struct shop_request *rq, json_t *ctx)
{
  struct cart_line *lines = calloc(ORDER_LINES_MAX, sizeof *lines);
  struct money_totals t = { 0 };
  json_t *rows = json_array();
  int n = 0;
  int64_t count = 0;

  if (!lines || db_cart_lines(rq->db, rq->session.id, lines, ORDER_LINES_MAX, &n) < 0) {
    free(lines);
    json_decref(rows);
    reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
    return -1;
  }
  for (int i = 0; i < n; i++) {
    const struct good *g = &lines[i].good;
    int64_t tax = money_line_tax(g->unit_price, lines[i].quantity, g->tax_rate_pct);
    money_add_line(&t, g->unit_price, lines[i].quantity, tax);
    count += lines[i].quantity;
    json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:I, s:o, s:i, s:o, s:o}", "id", (json_int_t)g->id, "name",
                                          g->name, "icon", g->icon, "quantity", (json_int_t)lines[i].quantity,
                                          "unit_price", shop_amount_json(g->unit_price), "tax_rate_pct",
                                          g->tax_rate_pct, "tax", shop_amount_json(tax), "line_total",
                                          shop_amount_json(g->unit_price * lines[i].quantity + tax)));
  }
  free(lines);
  json_object_set_new(ctx, "lines", rows);
  json_object_set_new(ctx, "subtotal", shop_amount_json(t.subtotal));
  json_object_set_new(ctx, "tax_total", shop_amount_json(t.tax_total));
  json_object_set_new(ctx, "total", shop_amount_json(t.total));
  json_object_set_new(ctx, "count", json_integer(count));
  json_object_set_new(ctx, "empty", json_boolean(n == 0));
  return 0;
}
