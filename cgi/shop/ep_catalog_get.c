/* ep_catalog_get.c — GET /shop/: the goods, each with its add-to-cart form,
 * and the cart link with the number of items. */
#include "shop/cart_view.h"
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "common/money_text.h"
#include "web/money.h"
#include "shop/reply.h"
#include "shop/settings.h"

#include <stdlib.h>

int ep_catalog_get(struct shop_request *rq)
{
  struct good *goods = calloc(GOODS_MAX, sizeof *goods);
  json_t *ctx = json_object(), *list = json_array();
  char price[40], with_tax[40];
  int n = 0;

  if (!goods || db_goods_list(rq->db, goods, GOODS_MAX, &n) < 0) {
    free(goods);
    json_decref(ctx);
    json_decref(list);
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  }
  for (int i = 0; i < n; i++) {
    money_text_display(goods[i].unit_price, shop_settings.currency, price, sizeof price);
    money_text_display(goods[i].unit_price + money_line_tax(goods[i].unit_price, 1, goods[i].tax_rate_pct),
                       shop_settings.currency, with_tax, sizeof with_tax);
    json_array_append_new(list,
                          json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:b}", "id", (json_int_t)goods[i].id, "name",
                                    goods[i].name, "icon", goods[i].icon, "price", price, "price_with_tax", with_tax,
                                    "tax_rate_pct", goods[i].tax_rate_pct, "reduced", goods[i].tax_rate_pct == 8));
  }
  free(goods);
  json_object_set_new(ctx, "goods", list);
  if (cart_view_fill(rq, ctx) != 0) {
    json_decref(ctx);
    return rq->web.status;
  }
  return reply_page(rq, 200, "catalog", ctx);
}
