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
#include "web/route.h"

#include <stdio.h>
#include <string.h>

enum session_step { NONE, PAGE, FIND, FORM };

struct route {
  const char *method, *pattern;
  enum session_step step;
  int (*handler)(struct shop_request *rq);
  int (*form_handler)(struct shop_request *rq, const struct form *f);
};

static const struct route routes[] = {
  { "GET", "/shop/", PAGE, ep_catalog_get, NULL },
  { "GET", "/shop/cart", PAGE, ep_cart_get, NULL },
  { "POST", "/shop/cart", FORM, NULL, ep_cart_post },
  { "POST", "/shop/checkout", FORM, NULL, ep_checkout_post },
  { "GET", "/shop/orders/{CODE}", PAGE, ep_order_get, NULL },
  { "GET", "/shop/orders/{CODE}/status", FIND, ep_order_status_get, NULL },
  { "GET", "/shop/orders/{CODE}/qr.svg", FIND, ep_order_qr_get, NULL },
  { "POST", "/shop/orders/{CODE}/user", FORM, NULL, ep_order_user_post },
  { "POST", "/shop/orders/{CODE}/cancel", FORM, NULL, ep_order_cancel_post },
  { "GET", "/shop/pay/{CODE}", NONE, ep_pay_get, NULL },
  { "POST", "/shop/api/orders/{CODE}/user", NONE, ep_api_order_user_post, NULL },
  { "POST", "/shop/api/webhooks", NONE, ep_webhook_post, NULL },
  { "GET", "/shop/admin", PAGE, ep_admin_get, NULL },
  { "POST", "/shop/admin/login", FORM, NULL, ep_admin_login_post },
  { "POST", "/shop/admin/logout", FORM, NULL, ep_admin_logout_post },
  { NULL, NULL, NONE, NULL, NULL },
};

/* True when path matches pattern; a {CODE} segment goes into code,
 * normalised (order_code.c). */
static bool matches(const char *pattern, const char *path, char *code)
{
  char text[16];

  if (!web_route_match(pattern, path, text, sizeof text))
    return false;
  return !strchr(pattern, '{') || order_code_normalise(text, code) == 0;
}

static bool is_api(const struct shop_request *rq)
{
  return strncmp(rq->web.path, "/shop/api/", 10) == 0;
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

void router_dispatch(struct shop_request *rq)
{
  bool path_known = false;
  const char *method = web_route_method(rq->web.method);

  for (const struct route *r = routes; r->method; r++) {
    if (!matches(r->pattern, rq->web.path, rq->code))
      continue;
    path_known = true;
    if (strcmp(r->method, method) != 0)
      continue;
    if (r->step == FORM) {
      run_form(rq, r);
      return;
    }
    if ((r->step == PAGE && session_ensure(rq) != 0) || (r->step == FIND && session_find(rq) != 0))
      return;
    r->handler(rq);
    return;
  }
  if (is_api(rq))
    reply_problem(rq, path_known ? 405 : 404, path_known ? "method_not_allowed" : "not_found", "%s %s",
                  path_known ? "no such method for" : "no such resource:", rq->web.path);
  else if (path_known)
    reply_error_page(rq, 405, "Method not allowed", "this page does not take that method");
  else
    reply_error_page(rq, 404, "Not found", "there is no such page in the shop");
}
