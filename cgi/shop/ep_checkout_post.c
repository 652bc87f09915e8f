/* ep_checkout_post.c — POST /shop/checkout: the cart becomes an order
 * awaiting a user ID (db_checkout, one transaction) and the browser goes to
 * its page; an empty cart goes back to the cart. */
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "shop/reply.h"
#include "shop/settings.h"

#include <stdio.h>

int ep_checkout_post(struct shop_request *rq, const struct form *f)
{
  struct checkout_out out;
  char location[64];

  (void)f;
  enum db_status s = db_checkout(rq->db, rq->session.id, shop_settings.currency, shop_settings.order_ttl_s, &out);
  if (s < 0)
    return reply_error_page(rq, 503, "The shop is not available", "the order could not be stored; try again");
  if (out.empty)
    return reply_redirect(rq, "/shop/cart");
  snprintf(location, sizeof location, "/shop/orders/%s", out.code);
  return reply_redirect(rq, location);
}
