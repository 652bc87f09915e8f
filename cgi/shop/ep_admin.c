/* ep_admin.c — the owner's page: GET /shop/admin (the sign-in form, or the
 * order list once signed in), POST /shop/admin/login (the owner password,
 * argon2id in shop.settings) and POST /shop/admin/logout.  Signing in or
 * out gives the session a new token (no session fixation). */
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "common/money_text.h"
#include "web/money.h"
#include "shop/order_code.h"
#include "shop/order_view.h"
#include "shop/reply.h"
#include "shop/settings.h"
#include "shop/session.h"
#include "common/log.h"
#include "common/pwhash.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static int orders_page(struct shop_request *rq)
{
  struct order_summary *orders = calloc(ORDERS_LIST_MAX, sizeof *orders);
  json_t *list = json_array();
  char total[40], display[ORDER_CODE_LEN + 2];
  int n = 0;

  if (!orders || db_orders_list(rq->db, orders, ORDERS_LIST_MAX, &n) < 0) {
    free(orders);
    json_decref(list);
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  }
  for (int i = 0; i < n; i++) {
    money_text_display(orders[i].total, shop_settings.currency, total, sizeof total);
    order_code_display(orders[i].code, display);
    json_array_append_new(
        list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", orders[i].code, "code_display", display,
                        "status", orders[i].state, "status_text", order_state_text(orders[i].state), "total", total,
                        "currency", orders[i].currency, "created_at", orders[i].created_at, "items", orders[i].items));
  }
  free(orders);
  return reply_page(rq, 200, "admin_orders", json_pack("{s:o, s:b}", "orders", list, "none", n == 0));
}

int ep_admin_get(struct shop_request *rq)
{
  char failed[4];

  if (rq->session.is_admin)
    return orders_page(rq);
  bool wrong = request_query_param(rq, "failed", failed, sizeof failed) == 0;
  return reply_page(rq, 200, "admin_login", json_pack("{s:b}", "failed", wrong));
}

int ep_admin_login_post(struct shop_request *rq, const struct form *f)
{
  char hash[256];
  const char *password = form_get(f, "password");

  enum db_status s = db_owner_hash(rq->db, hash, sizeof hash);
  if (s < 0)
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  bool ok = s == DB_ONE_ROW && password && *password && strlen(password) <= 256 && pwhash_verify(hash, password);
  if (!ok) {
    log_msg(LOG_WARN, "owner sign-in failed (session %lld)", (long long)rq->session.id);
    return reply_redirect(rq, "/shop/admin?failed=1");
  }
  if (session_rotate(rq, true) != 0)
    return rq->web.status;
  log_msg(LOG_INFO, "owner signed in (session %lld)", (long long)rq->session.id);
  return reply_redirect(rq, "/shop/admin");
}

int ep_admin_logout_post(struct shop_request *rq, const struct form *f)
{
  (void)f;
  if (session_rotate(rq, false) != 0)
    return rq->web.status;
  return reply_redirect(rq, "/shop/admin");
}
