/* user_submit.c — the user ID reaches the shop ([0119]): the shop asks the
 * gateway for a transaction number as a POS would.  The order is claimed
 * for the user ID first (a guarded update), so two requests for one order
 * never both reach the gateway with different user IDs; the claim is
 * released, with the reason shown, when the gateway refuses. */
#include "shop/user_submit.h"
#include "shop/db/shop_db.h"
#include "shop/gateway_client.h"
#include "shop/settings.h"
#include "common/log.h"
#include "common/pan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int user_id_wellformed(const char *user_id)
{
  size_t n = user_id ? strlen(user_id) : 0;

  if (n < 1 || n > 32)
    return 0;
  return strspn(user_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static void fill_out(const struct order_row *r, struct user_submit_out *out)
{
  snprintf(out->state, sizeof out->state, "%s", r->state);
  snprintf(out->transaction, sizeof out->transaction, "%s", r->transaction);
  snprintf(out->binding_code, sizeof out->binding_code, "%s", r->binding_code);
  out->total = r->total;
  out->tax_total = r->tax_total;
  snprintf(out->currency, sizeof out->currency, "%s", r->currency);
}

/* What an order that cannot be claimed for user_id is to this request. */
static enum user_submit_result classify(const struct order_row *r, const char *user_id, struct user_submit_out *out)
{
  fill_out(r, out);
  if (strcmp(r->state, "awaiting_payment") == 0 && strcmp(r->user_id, user_id) == 0)
    return SUBMIT_OK; /* the same user ID again: the same answer */
  if (r->user_id[0] && strcmp(r->user_id, user_id) != 0) {
    snprintf(out->detail, sizeof out->detail, "order %s already has another user ID", r->code);
    return SUBMIT_HAS_USER;
  }
  snprintf(out->detail, sizeof out->detail, "order %s is %s, not awaiting a user ID", r->code, r->state);
  return SUBMIT_NOT_AWAITING;
}

static json_t *transaction_body(const struct order_row *r, const struct order_line *lines, int n, const char *user_id)
{
  json_t *items = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(items, json_pack("{s:s, s:I, s:I, s:I}", "name", lines[i].name, "quantity",
                                           (json_int_t)lines[i].quantity, "unit_price", (json_int_t)lines[i].unit_price,
                                           "tax", (json_int_t)lines[i].tax));
  return json_pack("{s:s, s:s, s:o, s:s}", "user_id", user_id, "currency", r->currency, "items", items, "reference",
                   r->code);
}

/* The gateway's answer to POST /v1/transactions, the order moved or the
 * claim released. */
static enum user_submit_result ask_gateway(struct shop_request *rq, const struct order_row *r,
                                           const struct order_line *lines, int n, const char *user_id,
                                           struct user_submit_out *out)
{
  char idem[32], error[300];
  struct gw_answer a;
  json_t *body = transaction_body(r, lines, n, user_id);
  enum user_submit_result result;

  snprintf(idem, sizeof idem, "order-%s", r->code);
  gw_post("/v1/transactions", idem, body, &a);
  json_decref(body);
  const char *number = json_string_value(json_object_get(a.body, "transaction"));
  const char *binding = json_string_value(json_object_get(a.body, "binding_code"));
  if ((a.http_status == 201 || a.http_status == 200) && number && binding) {
    if (db_order_paying(rq->db, r->code, user_id, number, binding) < 0) {
      result = SUBMIT_DB_FAILED;
    } else {
      result = SUBMIT_OK;
      snprintf(out->state, sizeof out->state, "awaiting_payment");
      snprintf(out->transaction, sizeof out->transaction, "%s", number);
      snprintf(out->binding_code, sizeof out->binding_code, "%s", binding);
    }
    gw_answer_free(&a);
    return result;
  }
  if (a.http_status != 0) {
    const char *detail = json_string_value(json_object_get(a.body, "detail"));
    snprintf(out->gateway_code, sizeof out->gateway_code, "%s", *gw_problem_code(&a) ? gw_problem_code(&a) : "unknown");
    out->gateway_status = (int)a.http_status;
    snprintf(error, sizeof error, "the payment gateway refused user ID %s: %s (%s)", user_id,
             detail ? detail : "no reason given", out->gateway_code);
    result = SUBMIT_GATEWAY_REFUSED;
  } else {
    snprintf(error, sizeof error, "the payment gateway could not be reached; try again");
    log_msg(LOG_ERROR, "gateway unreachable for order %s: %s", r->code, a.error);
    result = SUBMIT_GATEWAY_DOWN;
  }
  pan_scrub(error); /* a card number typed where the user ID belongs is never kept or shown */
  snprintf(out->detail, sizeof out->detail, "%s", error);
  gw_answer_free(&a);
  if (db_order_user_refused(rq->db, r->code, user_id, error) < 0)
    return SUBMIT_DB_FAILED;
  return result;
}

enum user_submit_result user_submit(struct shop_request *rq, const char *code, const char *user_id, int64_t session_id,
                                    struct user_submit_out *out)
{
  struct order_row r;
  struct order_line *lines = NULL;
  int n = 0;
  enum user_submit_result result;

  memset(out, 0, sizeof *out);
  if (!user_id_wellformed(user_id)) {
    snprintf(out->detail, sizeof out->detail, "user_id must be 1 to 32 letters, digits, '_' or '-'");
    return SUBMIT_BAD_USER_ID;
  }
  enum db_status s = db_order_get(rq->db, code, &r);
  if (s < 0)
    return SUBMIT_DB_FAILED;
  if (s == DB_NO_ROWS || (session_id && r.session_id != session_id)) {
    snprintf(out->detail, sizeof out->detail, "there is no order %s", code);
    return SUBMIT_UNKNOWN_ORDER;
  }
  s = db_order_claim_user(rq->db, code, user_id);
  if (s < 0)
    return SUBMIT_DB_FAILED;
  if (s == DB_NO_ROWS) {
    if (db_order_get(rq->db, code, &r) < 0)
      return SUBMIT_DB_FAILED;
    return classify(&r, user_id, out);
  }
  fill_out(&r, out);
  lines = calloc(ORDER_LINES_MAX, sizeof *lines);
  if (!lines || db_order_lines(rq->db, r.id, lines, ORDER_LINES_MAX, &n) < 0)
    result = SUBMIT_DB_FAILED;
  else
    result = ask_gateway(rq, &r, lines, n, user_id, out);
  free(lines);
  return result;
}
