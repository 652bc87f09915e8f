/* ep_admin_refund_post.c — POST /shop/admin/orders/{CODE}/refund: the
 * owner refunds a paid order, in full or in part (issue 15, docs/shop.md
 * "Refunds").  Form: csrf (checked by the router), key (the
 * Idempotency-Key made when the owner page was rendered, so a double
 * submit of one form makes one refund), amount (minor units), reason
 * (optional).  The shop asks the gateway, POST
 * /v1/transactions/{number}/refunds with its terminal credential, and
 * records what the gateway answered (shop.do_refund); the refund.*
 * webhooks move it on.  Every outcome is a 303 back to the owner page with
 * a word its notice shows: nothing of the gateway's text reaches the page. */
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "shop/gateway_client.h"
#include "shop/order_view.h"
#include "shop/refund_view.h"
#include "shop/reply.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int back_to_owner(struct shop_request *rq, const char *result)
{
  char location[128];
  snprintf(location, sizeof location, "/shop/admin?refund_result=%s&refund_order=%s#refund-notice", result, rq->code);
  return reply_redirect(rq, location);
}

/* The gateway's 201: the refund recorded as it stands; the word of its
 * status. */
static const char *record_answer(struct shop_request *rq, const struct order_row *o, const char *key,
                                 const json_t *refund)
{
  const json_t *decline = json_object_get(refund, "decline"), *failure = json_object_get(refund, "failure");
  const char *why = json_string_value(json_object_get(decline ? decline : failure, "reason"));
  struct refund_event ev = {
    .code = o->code,
    .transaction = o->transaction,
    .refund_id = json_string_value(json_object_get(refund, "id")),
    .idempotency_key = key,
    .kind = json_string_value(json_object_get(refund, "kind")),
    .currency = json_string_value(json_object_get(refund, "currency")),
    .reason = json_string_value(json_object_get(refund, "reason")),
    .status = json_string_value(json_object_get(refund, "status")),
    .outcome_reason = why,
    .completed_at = json_string_value(json_object_get(refund, "completed_at")),
    .amount = json_integer_value(json_object_get(refund, "amount")),
  };
  enum refund_outcome outcome;
  char status[16] = "";

  if (!ev.status || !refund_event_valid(&ev)) {
    log_msg(LOG_ERROR, "order %s: the gateway's 201 holds no refund object", o->code);
    return "refused";
  }
  if (db_refund_record(rq->db, &ev, &outcome, status, sizeof status) < 0)
    return NULL; /* the webhook will tell it */
  log_msg(LOG_INFO, "order %s: refund %s of %lld %s (%s)", o->code, ev.refund_id, (long long)ev.amount, ev.status,
          outcome == REFUND_UNKNOWN_ORDER ? "no paid order" : "recorded");
  /* the table's own word: status is this function's buffer and ev.status
   * lives in the gateway's answer, which the caller frees before it uses
   * the word */
  const char *word = refund_result_word(status);
  if (!word)
    word = refund_result_word(ev.status);
  return word ? word : "refused";
}

/* What the gateway's refusal means to the owner. */
static const char *refusal_word(const struct gw_answer *a)
{
  const char *code = gw_problem_code(a);
  if (strcmp(code, "refund_exceeds_refundable") == 0)
    return "too_much";
  if (strcmp(code, "wrong_state") == 0)
    return "not_paid";
  if (strcmp(code, "idempotency_conflict") == 0)
    return "sent_already";
  return "refused";
}

static int ask_gateway(struct shop_request *rq, const struct order_row *o, const char *key, int64_t amount,
                       const char *reason)
{
  char path[128];
  struct gw_answer a;
  json_t *body = json_pack("{s:I}", "amount", (json_int_t)amount);

  if (reason && *reason)
    json_object_set_new(body, "reason", json_string(reason));
  snprintf(path, sizeof path, "/v1/transactions/%s/refunds", o->transaction);
  int sent = gw_post(path, key, body, &a);
  json_decref(body);
  const char *word;
  if (sent != 0) {
    log_msg(LOG_WARN, "order %s: refund not asked: %s", o->code, a.error);
    word = "unreachable";
  } else if (a.http_status == 201 || a.http_status == 200) {
    word = record_answer(rq, o, key, a.body);
  } else {
    log_msg(LOG_INFO, "order %s: the gateway refused the refund: %ld %s", o->code, a.http_status, gw_problem_code(&a));
    word = a.http_status >= 500 ? "unreachable" : refusal_word(&a);
  }
  gw_answer_free(&a);
  if (!word)
    return reply_error_page(rq, 503, "The shop is not available",
                            "the refund was asked for, but the shop's database did not answer: reload the owner page");
  return back_to_owner(rq, word);
}

int ep_admin_refund_post(struct shop_request *rq, const struct form *f)
{
  const char *key = form_get(f, "key"), *reason = form_get(f, "reason");
  struct order_full *o;
  int64_t amount;

  if (!rq->session.is_admin)
    return reply_error_page(rq, 403, "Forbidden", "only the shop's owner may refund an order: sign in at /shop/admin");
  if (!refund_key_ok(key))
    return reply_error_page(rq, 400, "Bad request", "the form's key is missing or wrong: reload the owner page");
  if (!refund_reason_ok(reason))
    return back_to_owner(rq, "bad_reason");
  o = calloc(1, sizeof *o);
  if (!o)
    return reply_error_page(rq, 500, "Internal error", "out of memory");
  if (order_load(rq, rq->code, true, true, o) == 0) {
    if (strcmp(o->row.state, "paid") != 0 || !o->row.transaction[0])
      back_to_owner(rq, "not_paid");
    else if (refund_amount_parse(form_get(f, "amount"), o->row.total, &amount) != 0)
      back_to_owner(rq, "bad_amount");
    else
      ask_gateway(rq, &o->row, key, amount, reason);
  }
  free(o);
  return rq->web.status;
}
