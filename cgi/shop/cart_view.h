/* cart_view.h — a session's cart as the pages show it. */
#ifndef SHOP_CART_VIEW_H
#define SHOP_CART_VIEW_H

#include "shop/request.h"

#include <jansson.h>

/* The cart's lines, totals and item count into ctx ("lines", "subtotal",
 * "tax_total", "total", "count", "empty"): 0, or -1 (database failed:
 * answered 503). */
int cart_view_fill(struct shop_request *rq, json_t *ctx);

#endif
