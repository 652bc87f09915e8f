/* ep_order_post.c — the order page's forms: POST /shop/orders/{CODE}/user
 * (the typed user ID, through user_submit as the handset's API) and
 * POST .../cancel (at the gateway first when it has a transaction). */
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "shop/gateway_client.h"
#include "shop/order_view.h"
#include "shop/reply.h"
#include "shop/user_submit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int back_to_order(struct shop_request *rq)
{
  char location[64];

  snprintf(location, sizeof location, "/shop/orders/%s", rq->code);
  return reply_redirect(rq, location);
}

int ep_order_user_post(struct shop_request *rq, const struct form *f)
{
  struct user_submit_out out;
  const char *user_id = form_get(f, "user_id");

  switch (user_submit(rq, rq->code, user_id ? user_id : "", rq->session.id, &out)) {
  case SUBMIT_UNKNOWN_ORDER:
    return reply_error_page(rq, 404, "No such order", "there is no order with this code for this browser");
  case SUBMIT_DB_FAILED:
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  case SUBMIT_BAD_USER_ID:
  case SUBMIT_HAS_USER:
  case SUBMIT_NOT_AWAITING:
    /* shown on the order page, which the browser goes back to */
    if (db_order_set_error(rq->db, rq->code, out.detail) < 0)
      return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer");
    return back_to_order(rq);
  default: /* ok, or refused by the gateway: the page says which */
    return back_to_order(rq);
  }
}

static int cancel_at_gateway(struct shop_request *rq, const struct order_row *r)
{
  char path[96];
  struct gw_answer a;
  json_t *body = json_pack("{s:s}", "reason", "canceled by the shopper at the online shop");

  snprintf(path, sizeof path, "/v1/transactions/%s/cancel", r->transaction);
  gw_post(path, NULL, body, &a);
  json_decref(body);
  long status = a.http_status;
  gw_answer_free(&a);
  if (status == 200) {
    if (db_order_cancel(rq->db, r->code, "awaiting_payment", "canceled by the shopper") < 0)
      return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer");
    return back_to_order(rq);
  }
  /* authorizing or ended already: the gateway's webhook settles the order */
  if (db_order_set_error(rq->db, r->code,
                         status ? "the payment could not be canceled any more: it is being completed"
                                : "the payment gateway could not be reached to cancel; try again")
      < 0)
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer");
  return back_to_order(rq);
}

int ep_order_cancel_post(struct shop_request *rq, const struct form *f)
{
  struct order_full *o = calloc(1, sizeof *o);

  (void)f;
  if (!o)
    return reply_error_page(rq, 500, "Internal error", "out of memory");
  if (order_load(rq, rq->code, false, true, o) == 0) {
    if (strcmp(o->row.state, "awaiting_payment") == 0) {
      cancel_at_gateway(rq, &o->row);
    } else {
      /* an order that has ended stays as it is (the guard) */
      enum db_status s = db_order_cancel(rq->db, rq->code, "awaiting_user", "canceled by the shopper");
      if (s < 0)
        reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer");
      else
        back_to_order(rq);
    }
  }
  free(o);
  return rq->web.status;
}
