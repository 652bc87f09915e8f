/* cart_view.h — a session's cart as the pages show it. */
#ifndef SHOP_CART_VIEW_H
#define SHOP_CART_VIEW_H

#include "shop/request.h"

#include <jansson.h>
#include <stdint.h>

/* The cart's lines, totals and item count into ctx ("lines", "subtotal",
 * "tax_total", "total", "count", "empty"): 0, or -1 (database failed:
 * answered 503). */
int cart_view_fill(struct shop_request *rq, json_t *ctx);

/* minor in the shop's currency as the pages show it ("1,234"), a JSON
 * string for the templates (the cart's and the order's pages). */
json_t *shop_amount_json(int64_t minor);

#endif
