/* ep_api_order_user_post.c — POST /shop/api/orders/{CODE}/user: the
 * handset (`handset shop`) sends the user ID it authenticated,
 * {"user_id": "00001"} as application/json; answered as docs/shop.md says
 * (200, or problem+json 400/404/409/502). */
#include "shop/endpoints.h"
#include "shop/reply.h"
#include "shop/settings.h"
#include "shop/user_submit.h"

#include <string.h>

static int answer(struct shop_request *rq, enum user_submit_result r, const struct user_submit_out *out)
{
  switch (r) {
  case SUBMIT_OK:
    return reply_json(rq, 200,
                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "order", rq->code, "status", out->state,
                                "shop", shop_settings.name, "transaction", out->transaction, "binding_code",
                                out->binding_code, "total", (json_int_t)out->total, "tax_total",
                                (json_int_t)out->tax_total, "currency", out->currency));
  case SUBMIT_BAD_USER_ID:
    return reply_problem(rq, 400, "invalid_field", "%s", out->detail);
  case SUBMIT_UNKNOWN_ORDER:
    return reply_problem(rq, 404, "unknown_order", "%s", out->detail);
  case SUBMIT_HAS_USER:
    return reply_problem(rq, 409, "order_has_user", "%s", out->detail);
  case SUBMIT_NOT_AWAITING:
    return reply_problem(rq, 409, "order_not_awaiting_user", "%s", out->detail);
  case SUBMIT_GATEWAY_REFUSED:
    return reply_problem_extra(
        rq, 502, "gateway_refused",
        json_pack("{s:s, s:i}", "gateway_code", out->gateway_code, "gateway_status", out->gateway_status), "%s",
        out->detail);
  case SUBMIT_GATEWAY_DOWN:
    return reply_problem(rq, 502, "gateway_unreachable", "%s", out->detail);
  default:
    return reply_problem(rq, 503, "database_unavailable", "the shop's database did not answer; try again");
  }
}

int ep_api_order_user_post(struct shop_request *rq)
{
  struct user_submit_out out;
  json_error_t err;

  if (!request_content_type_is(rq, "application/json"))
    return reply_problem(rq, 415, "unsupported_media_type", "the body must be application/json");
  json_t *body = json_loadb(rq->web.body, rq->web.body_len, JSON_REJECT_DUPLICATES, &err);
  if (!body || !json_is_object(body)) {
    json_decref(body);
    return reply_problem(rq, 400, "invalid_json", "the body must be a JSON object");
  }
  json_t *user = json_object_get(body, "user_id");
  const char *key;
  json_t *value;
  json_object_foreach (body, key, value) {
    if (strcmp(key, "user_id") != 0) {
      /* key lives in body: answer before letting it go */
      int status = reply_problem(rq, 400, "invalid_field", "unknown member %.40s", key);
      json_decref(body);
      return status;
    }
  }
  if (!user) {
    json_decref(body);
    return reply_problem(rq, 400, "invalid_field", "user_id is missing");
  }
  if (!json_is_string(user)) {
    json_decref(body);
    return reply_problem(rq, 400, "invalid_field", "user_id must be a string");
  }
  int status = answer(rq, user_submit(rq, rq->code, json_string_value(user), 0, &out), &out);
  json_decref(body);
  return status;
}
