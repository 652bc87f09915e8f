/* ep_webhook_post.c — POST /shop/api/webhooks: the gateway's webhook
 * (docs/webhooks.md) for the end of an order's payment.  The bytes are
 * verified before the JSON is read (webhook_verify: the signature with
 * the shop's secret, the timestamp within PAYGW_SHOP_WEBHOOK_TOLERANCE_S);
 * a forgery or an old one is 401 and changes nothing.  The webhook-id is
 * recorded in the transaction that moves the order, so the same id again
 * is answered 200 and changes nothing.  A refund.* event (issue 15) records
 * or moves the order's refund instead (shop.do_refund, sql/0026). */
#include "shop/db/shop_db.h"
#include "shop/endpoints.h"
#include "shop/refund_view.h"
#include "shop/reply.h"
#include "shop/settings.h"
#include "common/log.h"
#include "common/pan.h"
#include "common/webhook_verify.h"

#include <openssl/crypto.h>
#include <string.h>
#include <time.h>

static const struct {
  const char *type, *state;
} event_states[] = {
  { "payment.completed", "paid" },    { "payment.declined", "declined" }, { "payment.failed", "failed" },
  { "payment.canceled", "canceled" }, { "payment.expired", "expired" },
};

static const char *state_of(const char *type)
{
  for (size_t i = 0; i < sizeof event_states / sizeof event_states[0]; i++)
    if (strcmp(event_states[i].type, type) == 0)
      return event_states[i].state;
  return NULL;
}

/* A member as text when it is a non-empty string, else NULL. */
static const char *text_of(const json_t *data, const char *name)
{
  const char *v = json_string_value(json_object_get(data, name));
  return v && *v ? v : NULL;
}

static int verify(struct shop_request *rq)
{
  char secret[256];

  if (shop_read_secret(shop_settings.secret_file, secret, sizeof secret) != 0) {
    log_msg(LOG_ERROR, "no webhook secret (PAYGW_SHOP_WEBHOOK_SECRET_FILE): webhooks are refused");
    return reply_problem(rq, 503, "database_unavailable", "the shop cannot verify webhooks yet");
  }
  enum webhook_verdict v = webhook_verify(
      secret, request_header(rq, "HTTP_WEBHOOK_ID"), request_header(rq, "HTTP_WEBHOOK_TIMESTAMP"), rq->web.body,
      rq->web.body_len, request_header(rq, "HTTP_WEBHOOK_SIGNATURE"), time(NULL), shop_settings.webhook_tolerance_s);
  OPENSSL_cleanse(secret, sizeof secret);
  if (v != WEBHOOK_OK)
    return reply_problem(rq, 401, "webhook_refused", "webhook refused: %s", webhook_verdict_name(v));
  return 0;
}

/* The event's data as the order's new state and receipt: 0, or -1 for a
 * body that is not an event (400 answered). */
static int read_event(struct shop_request *rq, const json_t *body, struct webhook_event *ev,
                      char code[ORDER_CODE_LEN + 1])
{
  const char *type = json_string_value(json_object_get(body, "type"));
  const json_t *data = json_object_get(body, "data");

  ev->transaction = text_of(data, "number");
  ev->code = text_of(data, "reference");
  if (!type || !json_is_object(data) || !ev->transaction || !ev->code)
    return reply_problem(rq, 400, "invalid_json", "the body must be an event: type, data.number, data.reference"), -1;
  ev->state = state_of(type);
  /* not one of ours: ignored */
  ev->code = order_code_normalise(ev->code, code) == 0 ? code : NULL;
  ev->method = text_of(data, "method");
  ev->approval_code = text_of(data, "approval_code");
  ev->card_masked = text_of(data, "card_masked");
  ev->response_code = text_of(data, "response_code");
  ev->reason = text_of(data, "reason");
  ev->completed_at = text_of(data, "completed_at");
  json_t *inst = json_object_get(data, "installments");
  ev->installments = json_is_integer(inst) && json_integer_value(inst) > 0 ? json_integer_value(inst) : -1;
  if (ev->card_masked && !pan_mask_conforms(ev->card_masked))
    ev->card_masked = NULL; /* the shop keeps no card number, masked wrongly or not at all */
  return 0;
}

static const char *const refund_statuses[] = {
  "refund.completed", "completed", "refund.declined", "declined", "refund.failed", "failed", NULL
};

/* A refund.* event: its refund recorded for the paid order it names, or
 * moved out of pending (a refund the shop asked for, or one another
 * terminal of the merchant made for the order's payment). */
static int refund_event(struct shop_request *rq, const char *type, const json_t *data)
{
  char code[ORDER_CODE_LEN + 1], status_now[16] = "";
  const char *reference = text_of(data, "reference"), *status = NULL;
  struct refund_event ev = {
    .webhook_id = request_header(rq, "HTTP_WEBHOOK_ID"),
    .transaction = text_of(data, "number"),
    .refund_id = text_of(data, "refund"),
    .kind = text_of(data, "kind"),
    .currency = text_of(data, "currency"),
    .reason = text_of(data, "reason"),
    .outcome_reason = text_of(json_object_get(data, "failure"), "reason"),
    .completed_at = text_of(data, "completed_at"),
    .amount = json_integer_value(json_object_get(data, "amount")),
  };
  enum refund_outcome outcome;

  for (int i = 0; refund_statuses[i]; i += 2)
    if (strcmp(refund_statuses[i], type) == 0)
      status = refund_statuses[i + 1];
  if (!ev.transaction || !refund_event_valid(&ev))
    return reply_problem(rq, 400, "invalid_json",
                         "a refund event needs data.number, data.refund, data.kind, data.amount, data.currency");
  if (!status || !reference || order_code_normalise(reference, code) != 0) {
    log_msg(LOG_INFO, "webhook %s ignored: not a refund of an order", ev.webhook_id);
    return reply_json(rq, 200, json_pack("{s:s}", "handled", "ignored"));
  }
  ev.code = code;
  ev.status = status;
  if (strcmp(status, "completed") != 0 && !ev.outcome_reason)
    ev.outcome_reason = text_of(json_object_get(data, "decline"), "reason");
  if (db_refund_record(rq->db, &ev, &outcome, status_now, sizeof status_now) < 0)
    return reply_problem(rq, 503, "database_unavailable", "the shop's database did not answer; send it again");
  static const char *const names[] = { "recorded", "moved", "unchanged", "repeated", "unknown_order" };
  log_msg(LOG_INFO, "webhook %s for order %s refund %s: %s (%s)", ev.webhook_id, code, ev.refund_id, names[outcome],
          status_now);
  return reply_json(rq, 200, json_pack("{s:s, s:s}", "handled", names[outcome], "state", status_now));
}

int ep_webhook_post(struct shop_request *rq)
{
  struct webhook_event ev = { 0 };
  enum webhook_outcome outcome = WEBHOOK_UNKNOWN_ORDER;
  char state[24] = "", code[ORDER_CODE_LEN + 1];
  json_error_t err;

  if (verify(rq) != 0)
    return rq->web.status;
  json_t *body = json_loadb(rq->web.body, rq->web.body_len, 0, &err);
  if (!json_is_object(body)) {
    json_decref(body);
    return reply_problem(rq, 400, "invalid_json", "the body is not a JSON object");
  }
  const char *type = json_string_value(json_object_get(body, "type"));
  if (type && strncmp(type, "refund.", 7) == 0 && json_is_object(json_object_get(body, "data"))) {
    refund_event(rq, type, json_object_get(body, "data"));
    json_decref(body);
    return rq->web.status;
  }
  if (read_event(rq, body, &ev, code) != 0) {
    json_decref(body);
    return rq->web.status;
  }
  ev.id = request_header(rq, "HTTP_WEBHOOK_ID");
  if (!ev.state || !ev.code) { /* an event type of a later gateway, or another shop's reference */
    log_msg(LOG_INFO, "webhook %s ignored: not an order's end", ev.id);
    json_decref(body);
    return reply_json(rq, 200, json_pack("{s:s}", "handled", "ignored"));
  }
  enum db_status s = db_webhook_record(rq->db, &ev, &outcome, state, sizeof state);
  json_decref(body);
  if (s < 0) /* the gateway tries again */
    return reply_problem(rq, 503, "database_unavailable", "the shop's database did not answer; send it again");
  static const char *const names[] = { "moved", "repeated", "unknown_order", "unchanged" };
  log_msg(LOG_INFO, "webhook %s for order %s: %s (%s)", ev.id, ev.code, names[outcome], state);
  return reply_json(rq, 200, json_pack("{s:s, s:s}", "handled", names[outcome], "state", state));
}
