/* endpoints.h — one handler per URL (ep_*.c), run by router.c after the
 * route's session step.  Each answers and returns the status sent. */
#ifndef SHOP_ENDPOINTS_H
#define SHOP_ENDPOINTS_H

#include "web/form.h"
#include "shop/request.h"

int ep_catalog_get(struct shop_request *rq);
int ep_cart_get(struct shop_request *rq);
int ep_cart_post(struct shop_request *rq, const struct form *f);
int ep_checkout_post(struct shop_request *rq, const struct form *f);
int ep_order_get(struct shop_request *rq);
int ep_order_status_get(struct shop_request *rq);
int ep_order_qr_get(struct shop_request *rq);
int ep_order_user_post(struct shop_request *rq, const struct form *f);
int ep_order_cancel_post(struct shop_request *rq, const struct form *f);
int ep_pay_get(struct shop_request *rq);
int ep_api_order_user_post(struct shop_request *rq);
int ep_webhook_post(struct shop_request *rq);
int ep_admin_get(struct shop_request *rq);
int ep_admin_login_post(struct shop_request *rq, const struct form *f);
int ep_admin_logout_post(struct shop_request *rq, const struct form *f);
int ep_admin_refund_post(struct shop_request *rq, const struct form *f);

#endif
