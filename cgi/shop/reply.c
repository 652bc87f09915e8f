/* reply.c — the shop's answers: pages, redirects, JSON, problems, SVG.
 * lib/web's answer.c writes them with their headers (Cache-Control:
 * no-store, since pages carry a session's form token and its orders);
 * nginx adds the security headers (conf/nginx/page_headers.conf). */
#include "shop/reply.h"
#include "web/answer.h"
#include "web/page.h"
#include "shop/settings.h"
#include "common/log.h"
#include "common/pan.h"
#include "common/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reply_add_header(struct shop_request *rq, const char *line)
{
  web_add_header(&rq->web, line);
}

static int send_answer(struct shop_request *rq, int status, const char *content_type, const char *text)
{
  return web_answer(&rq->web, status, content_type, text, strlen(text));
}

int reply_body(struct shop_request *rq, int status, const char *content_type, const char *body)
{
  return send_answer(rq, status, content_type, body);
}

int reply_page(struct shop_request *rq, int status, const char *name, json_t *ctx)
{
  static const struct {
    const char *name, *title;
  } page_titles[] = { { "catalog", "Goods" }, { "cart", "Cart" },         { "order", "Order" },
                      { "pay", "Pay" },       { "admin_login", "Owner" }, { "admin_orders", "Orders" } };

  if (!ctx)
    ctx = json_object();
  for (size_t i = 0; i < sizeof page_titles / sizeof page_titles[0]; i++)
    if (strcmp(page_titles[i].name, name) == 0 && !json_object_get(ctx, "title"))
      json_object_set_new(ctx, "title", json_string(page_titles[i].title));
  json_object_set_new(ctx, "shop", json_string(shop_settings.name));
  if (rq->has_session) {
    json_object_set_new(ctx, "csrf", json_string(rq->session.csrf));
    json_object_set_new(ctx, "admin", json_boolean(rq->session.is_admin));
  }
  return web_answer_page(&rq->web, status, rq->templates, name, ctx);
}

int reply_error_page(struct shop_request *rq, int status, const char *title, const char *reason)
{
  rq->web.problem = title;
  return reply_page(rq, status, "error",
                    json_pack("{s:s, s:s, s:i}", "title", title, "reason", reason, "status", status));
}

int reply_redirect(struct shop_request *rq, const char *location)
{
  char line[300];

  snprintf(line, sizeof line, "Location: %s", location);
  reply_add_header(rq, line);
  return send_answer(rq, 303, "text/plain; charset=utf-8", "");
}

int reply_json(struct shop_request *rq, int status, json_t *body)
{
  char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

  json_decref(body);
  if (!text)
    return send_answer(rq, 500, "application/problem+json", "{\"status\":500,\"code\":\"internal_error\"}");
  int rc = send_answer(rq, status, "application/json", text);
  free(text);
  return rc;
}

/* The shop's problem codes and their titles (docs/shop.md, "Errors"). */
static const struct {
  const char *code, *title;
} titles[] = {
  { "invalid_json", "The body is not the JSON expected" },
  { "invalid_field", "A field is missing or not valid" },
  { "unsupported_media_type", "The body must be application/json" },
  { "unknown_order", "No such order" },
  { "order_has_user", "The order has another user ID" },
  { "order_not_awaiting_user", "The order does not await a user ID" },
  { "gateway_refused", "The payment gateway refused the request" },
  { "gateway_unreachable", "The payment gateway could not be reached" },
  { "webhook_refused", "The webhook's signature or time is not valid" },
  { "not_found", "Not found" },
  { "method_not_allowed", "Method not allowed" },
  { "body_too_large", "The request body is too large" },
  { "database_unavailable", "The shop's database is not available" },
  { "internal_error", "Internal error" },
};

static const char *title_of(const char *code)
{
  for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
    if (strcmp(titles[i].code, code) == 0)
      return titles[i].title;
  return "Error";
}

int reply_problem_extra(struct shop_request *rq, int status, const char *code, json_t *extra, const char *fmt, ...)
{
  char detail[512], type[96];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  utf8_scrub(detail);
  pan_scrub(detail); /* a card number typed where a user ID belongs */
  snprintf(type, sizeof type, "https://paygw.example/problems/%s", code);
  if (status >= 500)
    log_msg(LOG_ERROR, "%s: %s (request %s)", code, detail, rq->web.request_id);
  else
    log_msg(LOG_INFO, "%s: %s (request %s)", code, detail, rq->web.request_id);
  json_t *body = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", type, "title", title_of(code), "status", status,
                           "code", code, "detail", detail, "request_id", rq->web.request_id);
  if (extra) {
    json_object_update_missing(body, extra);
    json_decref(extra);
  }
  char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(body);
  rq->web.problem = code;
  int rc = send_answer(rq, status, "application/problem+json", text ? text : "{}");
  free(text);
  return rc;
}
