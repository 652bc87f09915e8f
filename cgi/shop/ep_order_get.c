/* ep_order_get.c — GET /shop/orders/{CODE} (the order page: code, QR code,
 * the user-ID form, the binding code, the receipt), .../status (the same
 * as JSON, polled by order.js) and .../qr.svg (the pay URL's QR code).
 * Only the session that made the order sees them. */
#include "shop/endpoints.h"
#include "shop/order_view.h"
#include "shop/reply.h"
#include "shop/settings.h"
#include "common/log.h"
#include "common/qr_svg.h"

#include <stdio.h>
#include <stdlib.h>

int ep_order_get(struct shop_request *rq)
{
  struct order_full *o = calloc(1, sizeof *o);

  if (!o)
    return reply_error_page(rq, 500, "Internal error", "out of memory");
  int rc = order_load(rq, rq->code, false, true, o);
  if (rc == 0)
    reply_page(rq, 200, "order", order_page_ctx(o));
  free(o);
  return rq->web.status;
}

int ep_order_status_get(struct shop_request *rq)
{
  struct order_full *o = calloc(1, sizeof *o);

  if (!o)
    return reply_problem(rq, 500, "internal_error", "out of memory");
  int rc = order_load(rq, rq->code, false, false, o);
  if (rc == 0)
    reply_json(rq, 200, order_status_json(o));
  else if (rc > 0)
    reply_problem(rq, 404, "unknown_order", "there is no order %s for this browser", rq->code);
  free(o);
  return rq->web.status;
}

int ep_order_qr_get(struct shop_request *rq)
{
  struct order_full *o = calloc(1, sizeof *o);
  char url[600], err[200];

  if (!o)
    return reply_problem(rq, 500, "internal_error", "out of memory");
  int rc = order_load(rq, rq->code, false, true, o);
  free(o);
  if (rc != 0)
    return rq->web.status;
  snprintf(url, sizeof url, "%s/shop/pay/%s", shop_settings.public_url, rq->code);
  char *svg = qr_svg(url, err, sizeof err);
  if (!svg) {
    log_bug(__FILE__, __LINE__, "qr_svg: %s", err);
    return reply_error_page(rq, 500, "Internal error", "the QR code could not be drawn");
  }
  reply_body(rq, 200, "image/svg+xml", svg);
  free(svg);
  return rq->web.status;
}
