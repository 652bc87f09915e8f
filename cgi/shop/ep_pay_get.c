/* ep_pay_get.c — GET /shop/pay/{CODE}: what the order page's QR code opens
 * on a phone: the shop, the order code and the handset command; nothing
 * else of the order (anyone may open it). */
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "shop/reply.h"
#include "shop/settings.h"

#include <stdio.h>

int ep_pay_get(struct shop_request *rq)
{
  struct order_row r;
  char display[ORDER_CODE_LEN + 2], url[600];

  enum db_status s = db_order_get(rq->db, rq->code, &r);
  if (s < 0)
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  if (s == DB_NO_ROWS)
    return reply_error_page(rq, 404, "No such order", "there is no order with this code");
  order_code_display(r.code, display);
  snprintf(url, sizeof url, "%s/shop/pay/%s", shop_settings.public_url, r.code);
  return reply_page(rq, 200, "pay", json_pack("{s:s, s:s}", "code_display", display, "pay_url", url));
}
