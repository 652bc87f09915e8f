/* order_view.c — what an order page and its status JSON show. */
#include "shop/order_view.h"
#include "shop/cart_view.h"
#include "web/money.h"
#include "shop/refund_view.h"
#include "shop/reply.h"
#include "shop/settings.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *state, *text;
} texts[] = {
  { "awaiting_user", "Waiting for your user ID" },
  { "awaiting_payment", "Confirm the payment on your handset" },
  { "paid", "Paid — thank you" },
  { "declined", "The payment was declined" },
  { "failed", "The payment failed" },
  { "canceled", "Canceled" },
  { "expired", "Expired" },
};

const char *order_state_text(const char *state)
{
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (strcmp(texts[i].state, state) == 0)
      return texts[i].text;
  return state;
}

/* Σ of the order's completed refunds. */
static int64_t refunded_of(const struct order_full *o)
{
  int64_t refunded = 0;
  json_decref(refund_rows_json(o->refunds, o->n_refunds, &refunded));
  return refunded;
}

const char *order_shown_text(const struct order_full *o)
{
  const char *refund_state = refund_order_state(refunded_of(o), o->row.total);
  if (strcmp(o->row.state, "paid") == 0 && refund_state)
    return strcmp(refund_state, "refunded") == 0 ? "Paid — refunded" : "Paid — partly refunded";
  return order_state_text(o->row.state);
}

bool order_state_final(const char *state)
{
  return strcmp(state, "awaiting_user") != 0 && strcmp(state, "awaiting_payment") != 0;
}

static const char *method_name(const char *m)
{
  static const struct {
    const char *code, *name;
  } names[] = {
    { "L", "lump sum" }, { "I", "installments" }, { "B", "bonus" }, { "pB", "partial bonus" }, { "R", "revolving" }
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i].code, m) == 0)
      return names[i].name;
  return m;
}

int order_load(struct shop_request *rq, const char *code, bool any_session, bool answer_404, struct order_full *o)
{
  enum db_status s = db_order_get(rq->db, code, &o->row);
  bool owned;

  o->n_lines = 0;
  if (s < 0)
    goto db_failed;
  /* another session's order is not there for this one */
  owned = s == DB_ONE_ROW && (any_session || (rq->has_session && o->row.session_id == rq->session.id));
  if (!owned) {
    if (answer_404)
      reply_error_page(rq, 404, "No such order", "there is no order with this code for this browser");
    return 1;
  }
  if (db_order_lines(rq->db, o->row.id, o->lines, ORDER_LINES_MAX, &o->n_lines) < 0)
    goto db_failed;
  o->n_refunds = 0;
  if (strcmp(o->row.state, "paid") == 0
      && db_order_refunds(rq->db, o->row.id, o->refunds, ORDER_REFUNDS_MAX, &o->n_refunds) < 0)
    goto db_failed;
  return 0;
db_failed:
  reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
  return -1;
}

static json_t *lines_json(const struct order_full *o)
{
  json_t *a = json_array();
  for (int i = 0; i < o->n_lines; i++) {
    const struct order_line *l = &o->lines[i];
    json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:o, s:I, s:o, s:i, s:o}", "good", (json_int_t)l->good_id,
                                       "name", l->name, "quantity", (json_int_t)l->quantity, "unit_price",
                                       shop_amount_json(l->unit_price), "tax", (json_int_t)l->tax, "tax_text",
                                       shop_amount_json(l->tax), "tax_rate_pct", l->tax_rate_pct, "line_total",
                                       shop_amount_json(l->unit_price * l->quantity + l->tax)));
  }
  return a;
}

static json_t *receipt_json(const struct order_full *o)
{
  const struct order_row *r = &o->row;
  if (strcmp(r->state, "paid") != 0)
    return json_null();
  char method[64];
  if (strcmp(r->method, "I") == 0 && r->installments > 0)
    snprintf(method, sizeof method, "%s (%lld)", method_name(r->method), (long long)r->installments);
  else
    snprintf(method, sizeof method, "%s", method_name(r->method));
  return json_pack("{s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "lines", lines_json(o), "subtotal",
                   shop_amount_json(r->subtotal), "tax_total", shop_amount_json(r->tax_total), "total",
                   shop_amount_json(r->total), "currency", r->currency, "method", method, "approval_code",
                   r->approval_code, "card", r->card_masked, "transaction", r->transaction, "completed_at",
                   r->completed_at);
}

json_t *order_page_ctx(const struct order_full *o)
{
  const struct order_row *r = &o->row;
  char display[ORDER_CODE_LEN + 2], pay_url[600], qr[64];
  bool awaiting_user = strcmp(r->state, "awaiting_user") == 0;
  bool awaiting_payment = strcmp(r->state, "awaiting_payment") == 0;

  order_code_display(r->code, display);
  snprintf(pay_url, sizeof pay_url, "%s/shop/pay/%s", shop_settings.public_url, r->code);
  snprintf(qr, sizeof qr, "/shop/orders/%s/qr.svg", r->code);
  json_t *ctx =
      json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:s, s:s, s:s, s:s}", "code", r->code, "code_display",
                display, "status", r->state, "status_text", order_shown_text(o), "awaiting_user", awaiting_user,
                "awaiting_payment", awaiting_payment, "cancelable", awaiting_user || awaiting_payment, "final",
                order_state_final(r->state), "paid", strcmp(r->state, "paid") == 0, "binding_code", r->binding_code,
                "transaction", r->transaction, "pay_url", pay_url, "qr_url", qr);
  json_object_set_new(ctx, "lines", lines_json(o));
  json_object_set_new(ctx, "subtotal", shop_amount_json(r->subtotal));
  json_object_set_new(ctx, "tax_total", shop_amount_json(r->tax_total));
  json_object_set_new(ctx, "total", shop_amount_json(r->total));
  json_object_set_new(ctx, "currency", json_string(r->currency));
  if (r->error[0])
    json_object_set_new(ctx, "error", json_string(r->error));
  if (r->reason[0] && order_state_final(r->state) && strcmp(r->state, "paid") != 0)
    json_object_set_new(ctx, "reason", json_string(r->reason));
  json_object_set_new(ctx, "receipt", receipt_json(o));
  if (o->n_refunds > 0) {
    int64_t refunded = 0;
    json_t *rows = refund_rows_json(o->refunds, o->n_refunds, &refunded);
    const char *state = refund_order_state(refunded, r->total);
    json_object_set_new(ctx, "refunds",
                        json_pack("{s:o, s:o, s:o, s:s?}", "rows", rows, "refunded", shop_amount_json(refunded), "net",
                                  shop_amount_json(r->total - refunded), "state", state));
  }
  json_object_set_new(ctx, "script", json_true());
  return ctx;
}

json_t *order_status_json(const struct order_full *o)
{
  const struct order_row *r = &o->row;
  json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "code", r->code, "status", r->state, "status_text", order_shown_text(o),
                        "final", order_state_final(r->state));
  const char *refund_state = refund_order_state(refunded_of(o), r->total);
  json_object_set_new(j, "refund_state", refund_state ? json_string(refund_state) : json_null());
  json_object_set_new(j, "transaction", r->transaction[0] ? json_string(r->transaction) : json_null());
  json_object_set_new(j, "binding_code", r->binding_code[0] ? json_string(r->binding_code) : json_null());
  json_object_set_new(j, "error", r->error[0] ? json_string(r->error) : json_null());
  json_object_set_new(j, "reason", r->reason[0] ? json_string(r->reason) : json_null());
  json_object_set_new(j, "receipt", receipt_json(o));
  return j;
}
