/* ep_admin.c — the owner's page: GET /shop/admin (the sign-in form, or the
 * order list once signed in, with a refund form for each paid order that
 * has something left to refund: ep_admin_refund_post.c), POST
 * /shop/admin/login (the owner password, argon2id in shop.settings) and
 * POST /shop/admin/logout.  Signing in or out gives the session a new
 * token (no session fixation). */
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "common/money_text.h"
#include "web/money.h"
#include "shop/order_code.h"
#include "shop/order_view.h"
#include "shop/refund_view.h"
#include "shop/reply.h"
#include "shop/settings.h"
#include "shop/session.h"
#include "common/log.h"
#include "common/pwhash.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* The refund form of a paid order with something left to refund (new
 * reference), or NULL: the amount prefilled with what is left, and a fresh
 * Idempotency-Key that a second submit of the same form sends again. */
static json_t *refund_form(const struct order_summary *o, const char *display)
{
  char key[REFUND_KEY_LEN + 1], left_text[40];
  int64_t left = o->total - o->held;

  if (strcmp(o->state, "paid") != 0 || left <= 0 || refund_key_make(key) != 0)
    return NULL;
  money_text_display(left, shop_settings.currency, left_text, sizeof left_text);
  return json_pack("{s:s, s:s, s:s, s:I, s:s}", "code", o->code, "code_display", display, "key", key, "left",
                   (json_int_t)left, "left_text", left_text);
}

/* The notice of the last refund asked for (?refund_result=WORD&refund_order=CODE), or null. */
static json_t *refund_notice(const struct shop_request *rq)
{
  char result[24], order[24], code[ORDER_CODE_LEN + 1], display[ORDER_CODE_LEN + 2];

  if (request_query_param(rq, "refund_result", result, sizeof result) != 0
      || request_query_param(rq, "refund_order", order, sizeof order) != 0 || !refund_result_text(result)
      || order_code_normalise(order, code) != 0)
    return json_null();
  order_code_display(code, display);
  bool good = strcmp(result, "completed") == 0 || strcmp(result, "pending") == 0;
  return json_pack("{s:s, s:s, s:s, s:b}", "result", result, "order", display, "text", refund_result_text(result),
                   "good", good);
}

static int orders_page(struct shop_request *rq)
{
  struct order_summary *orders = calloc(ORDERS_LIST_MAX, sizeof *orders);
  json_t *list = json_array(), *forms = json_array();
  char total[40], refunded[40], display[ORDER_CODE_LEN + 2];
  int n = 0;

  if (!orders || db_orders_list(rq->db, orders, ORDERS_LIST_MAX, &n) < 0) {
    free(orders);
    json_decref(list);
    json_decref(forms);
    return reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  }
  for (int i = 0; i < n; i++) {
    money_text_display(orders[i].total, shop_settings.currency, total, sizeof total);
    order_code_display(orders[i].code, display);
    json_t *row =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", orders[i].code, "code_display", display, "status",
                  orders[i].state, "status_text", order_state_text(orders[i].state), "total", total, "currency",
                  orders[i].currency, "created_at", orders[i].created_at, "items", orders[i].items);
    const char *refund_state = refund_order_state(orders[i].refunded, orders[i].total);
    if (refund_state) {
      money_text_display(orders[i].refunded, shop_settings.currency, refunded, sizeof refunded);
      json_object_set_new(row, "refund",
                          json_pack("{s:s, s:s, s:s}", "state", refund_state, "text",
                                    refund_order_state_text(refund_state), "refunded", refunded));
    }
    json_array_append_new(list, row);
    json_t *form = refund_form(&orders[i], display);
    if (form)
      json_array_append_new(forms, form);
  }
  free(orders);
  return reply_page(rq, 200, "admin_orders",
                    json_pack("{s:o, s:b, s:b, s:o, s:o}", "orders", list, "none", n == 0, "has_refund_forms",
                              json_array_size(forms) > 0, "refund_forms", forms, "refund_notice", refund_notice(rq)));
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
