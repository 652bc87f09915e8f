/* ep_cart.c — GET /shop/cart (the cart page) and POST /shop/cart (a good's
 * quantity: `item`, `quantity` 0-99, `add=1` adds to what is there). */
#include "shop/cart_view.h"
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "shop/reply.h"

#include <stdlib.h>
#include <string.h>

int ep_cart_get(struct shop_request *rq)
{
  json_t *ctx = json_object();

  if (cart_view_fill(rq, ctx) != 0) {
    json_decref(ctx);
    return rq->web.status;
  }
  return reply_page(rq, 200, "cart", ctx);
}

/* A whole number in [min, max] from a form field, or -1. */
static long long form_number(const char *text, long long min, long long max)
{
  char *end;

  if (!text || !*text || strlen(text) > 9 || strspn(text, "0123456789") != strlen(text))
    return -1;
  long long v = strtoll(text, &end, 10);
  return v < min || v > max ? -1 : v;
}

int ep_cart_post(struct shop_request *rq, const struct form *f)
{
  long long item = form_number(form_get(f, "item"), 1, 1000000);
  long long quantity = form_number(form_get(f, "quantity"), 0, 99);
  const char *add = form_get(f, "add");

  if (item < 0 || quantity < 0)
    return reply_error_page(rq, 400, "Bad request", "the form needs a good (item) and a quantity from 0 to 99");
  enum db_status s = db_cart_set(rq->db, rq->session.id, item, quantity, add && strcmp(add, "1") == 0);
  if (s < 0)
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  if (s == DB_NO_ROWS)
    return reply_error_page(rq, 400, "Bad request", "there is no such good in the shop");
  return reply_redirect(rq, "/shop/cart");
}
