/* reply.c — the history's answers: pages, redirects, the CSV.  lib/web's
 * answer.c writes them with their headers (Cache-Control: no-store, since
 * the pages hold a user's payments and a session's form token); nginx adds
 * the security headers (conf/nginx/page_headers.conf). */
#include "history/reply.h"
#include "web/answer.h"
#include "web/page.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reply_add_header(struct history_request *rq, const char *line)
{
  web_add_header(&rq->web, line);
}

static int send_answer(struct history_request *rq, int status, const char *content_type, const char *text,
                       size_t body_len)
{
  return web_answer(&rq->web, status, content_type, text, body_len);
}

int reply_body(struct history_request *rq, int status, const char *content_type, const char *body, size_t body_len)
{
  return send_answer(rq, status, content_type, body, body_len);
}

/* The <title> of each page whose handler gives none. */
static const struct {
  const char *name, *title;
} page_titles[] = {
  { "sign_in", "Sign in" },     { "list", "Transactions" }, { "transaction", "Transaction" },
  { "not_found", "Not found" }, { "error", "Error" },
};

int reply_page(struct history_request *rq, int status, const char *name, json_t *ctx)
{
  if (!ctx)
    ctx = json_object();
  for (size_t i = 0; i < sizeof page_titles / sizeof page_titles[0]; i++)
    if (strcmp(page_titles[i].name, name) == 0 && !json_object_get(ctx, "title"))
      json_object_set_new(ctx, "title", json_string(page_titles[i].title));
  json_object_set_new(ctx, "signed_in", json_boolean(rq->has_session));
  if (rq->has_session) {
    json_object_set_new(ctx, "user_id", json_string(rq->session.user_id));
    json_object_set_new(ctx, "csrf", json_string(rq->session.csrf));
  }
  return web_answer_page(&rq->web, status, rq->templates, name, ctx);
}

int reply_error_page(struct history_request *rq, int status, const char *title, const char *reason)
{
  rq->web.problem = title;
  log_msg(status >= 500 ? LOG_ERROR : LOG_INFO, "%d %s: %s (request %s)", status, title, reason, rq->web.request_id);
  return reply_page(rq, status, "error",
                    json_pack("{s:s, s:s, s:i}", "title", title, "reason", reason, "status", status));
}

int reply_not_found(struct history_request *rq)
{
  rq->web.problem = "not found";
  return reply_page(rq, 404, "not_found", NULL);
}

int reply_redirect(struct history_request *rq, const char *location)
{
  char line[300];

  snprintf(line, sizeof line, "Location: %s", location);
  reply_add_header(rq, line);
  return send_answer(rq, 303, "text/plain; charset=utf-8", "", 0);
}
