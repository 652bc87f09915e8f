/* router.c — every URL of the shop on one screen.  {CODE} is an order
 * code (order_code.c: any case, dash or not), normalised into rq->code.
 * The session column says what runs before the handler:
 *   NONE   nothing (the handset's API, the webhook, the pay page)
 *   PAGE   a session found or made (the page holds forms)
 *   FIND   a live session looked for (its orders' status and QR)
 *   FORM   a form POST: the body parsed, a live session and its form
 *          token required (else 403) */
#include "shop/router.h"
#include "shop/endpoints.h"
#include "shop/order_code.h"
#include "shop/reply.h"
#include "shop/session.h"
#include "shop/settings.h"
#include "web/route.h"

#include <stdio.h>
#include <string.h>

enum session_step { NONE, PAGE, FIND, FORM };

struct route {
  struct web_route at; /* method and pattern: first, for WEB_ROUTE_FIND */
  enum session_step step;
  int (*handler)(struct shop_request *rq);
  int (*form_handler)(struct shop_request *rq, const struct form *f);
};

static const struct route routes[] = {
  { { "GET", "/shop/" }, PAGE, ep_catalog_get, NULL },
  { { "GET", "/shop/cart" }, PAGE, ep_cart_get, NULL },
  { { "POST", "/shop/cart" }, FORM, NULL, ep_cart_post },
  { { "POST", "/shop/checkout" }, FORM, NULL, ep_checkout_post },
  { { "GET", "/shop/orders/{CODE}" }, PAGE, ep_order_get, NULL },
  { { "GET", "/shop/orders/{CODE}/status" }, FIND, ep_order_status_get, NULL },
  { { "GET", "/shop/orders/{CODE}/qr.svg" }, FIND, ep_order_qr_get, NULL },
  { { "POST", "/shop/orders/{CODE}/user" }, FORM, NULL, ep_order_user_post },
  { { "POST", "/shop/orders/{CODE}/cancel" }, FORM, NULL, ep_order_cancel_post },
  { { "GET", "/shop/pay/{CODE}" }, NONE, ep_pay_get, NULL },
  { { "POST", "/shop/api/orders/{CODE}/user" }, NONE, ep_api_order_user_post, NULL },
  { { "POST", "/shop/api/webhooks" }, NONE, ep_webhook_post, NULL },
  { { "GET", "/shop/admin" }, PAGE, ep_admin_get, NULL },
  { { "POST", "/shop/admin/login" }, FORM, NULL, ep_admin_login_post },
  { { "POST", "/shop/admin/logout" }, FORM, NULL, ep_admin_logout_post },
  { { "POST", "/shop/admin/orders/{CODE}/refund" }, FORM, NULL, ep_admin_refund_post },
  { { NULL, NULL }, NONE, NULL, NULL },
};

/* A {CODE} segment: an order code in any of its forms, normalised into
 * rq->code (order_code.c). */
static bool take_code(struct web_request *w, const char *segment)
{
  return strlen(segment) < 16 && order_code_normalise(segment, shop_request_of(w)->code) == 0;
}

static bool is_api(const struct shop_request *rq)
{
  return strncmp(rq->web.path, "/shop/api/", 10) == 0;
}

/* Runs a page's session step; false when it answered instead. */
static bool session_step(struct shop_request *rq, enum session_step step)
{
  if (step == PAGE)
    return session_ensure(rq) == 0;
  if (step == FIND)
    return session_find(rq) == 0;
  return true;
}

static int run_form(struct shop_request *rq, const struct route *r)
{
  struct form f;
  int status;

  if (form_parse(&f, rq->web.body, rq->web.body_len) != 0)
    return reply_error_page(rq, 400, "Bad request", "the form could not be read");
  if (session_check_form(rq, &f) != 0)
    status = rq->web.status;
  else
    status = r->form_handler(rq, &f);
  form_free(&f);
  return status;
}

void router_dispatch(struct web_request *w)
{
  struct shop_request *rq = shop_request_of(w);
  int refusal;

  if (request_read(rq, (size_t)shop_settings.max_body) != 0)
    return;
  const struct route *r = (const struct route *)WEB_ROUTE_FIND(routes, w, take_code, &refusal);
  if (!r && is_api(rq))
    reply_problem(rq, refusal, refusal == 405 ? "method_not_allowed" : "not_found", "%s %s",
                  refusal == 405 ? "no such method for" : "no such resource:", w->path);
  else if (!r && refusal == 405)
    reply_error_page(rq, 405, "Method not allowed", "this page does not take that method");
  else if (!r)
    reply_error_page(rq, 404, "Not found", "there is no such page in the shop");
  else if (r->step == FORM)
    run_form(rq, r);
  else if (session_step(rq, r->step))
    r->handler(rq);
}
