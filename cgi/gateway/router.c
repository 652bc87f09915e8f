/* router.c — the whole API on one screen, and nothing else. */
#include "gateway/router.h"
#include "gateway/auth.h"
#include "gateway/endpoints.h"
#include "gateway/refund.h"
#include "gateway/reply.h"
#include "gateway/token_request.h"

#include <stdbool.h>
#include <string.h>

const struct route router_routes[] = {
  { "GET", "/v1/health", ep_health_get, AUTH_NONE },
  { "GET", "/v1/ping", ep_ping_get, AUTH_NONE },
  /* Prometheus; nginx admits local addresses only (docs/metrics.md) */
  { "GET", "/metrics", ep_metrics_get, AUTH_NONE },
  { "POST", "/v1/transactions", ep_transactions_post, AUTH_TERMINAL },
  { "GET", "/v1/transactions/{number}", ep_transaction_get, AUTH_TERMINAL },
  { "POST", "/v1/transactions/{number}/cancel", ep_transaction_cancel_post, AUTH_TERMINAL },
  /* refunds and voids of a completed payment (issue 15, sql/0023) */
  { "POST", "/v1/transactions/{number}/refunds", ep_refunds_post, AUTH_TERMINAL },
  { "GET", "/v1/transactions/{number}/refunds", ep_refunds_get, AUTH_TERMINAL },
  { "GET", "/v1/transactions/{number}/refunds/{refund}", ep_refund_get, AUTH_TERMINAL },
  { "GET", "/v1/mailbox", ep_mailbox_get, AUTH_DEVICE },
  { "POST", "/v1/device-auth", ep_device_auth_post, AUTH_NONE },
  { "POST", "/v1/transactions/{number}/confirmation", ep_confirmation_post, AUTH_SESSION },
  { "GET", "/v1/transactions/{number}/payment-methods", ep_payment_methods_get, AUTH_SESSION },
  { "POST", "/v1/transactions/{number}/payment-method", ep_payment_method_post, AUTH_SESSION },
  /* the second embodiment (sql/0021): the reply is signed by the handset
   * over its body, checked by its handler (a wrong device cancels) */
  { "POST", "/v1/tokens", ep_tokens_post, AUTH_TERMINAL },
  { "GET", "/v1/tokens/{id}", ep_token_get, AUTH_TERMINAL },
  { "POST", "/v1/tokens/{id}/cancel", ep_token_cancel_post, AUTH_TERMINAL },
  { "POST", "/v1/tokens/{id}/reply", ep_token_reply_post, AUTH_NONE },
  { NULL, NULL, NULL, AUTH_NONE },
};

int router_match(const char *pattern, const char *path, char *param, size_t param_len)
{
  return router_match2(pattern, path, param, NULL, param_len);
}

int router_match2(const char *pattern, const char *path, char *param, char *param2, size_t param_len)
{
  int n = 0;

  while (*pattern && *path) {
    if (*pattern == '{') {
      size_t seg = strcspn(path, "/");
      char *into = n++ == 0 ? param : param2;
      if (seg == 0 || seg >= param_len || !into || n > 2)
        return -1;
      memcpy(into, path, seg);
      into[seg] = '\0';
      path += seg;
      pattern = strchr(pattern, '}');
      if (!pattern)
        return -1;
      pattern++;
      continue;
    }
    if (*pattern++ != *path++)
      return -1;
  }
  return (*pattern == '\0' && *path == '\0') ? 0 : -1;
}

/* 16 of [0-9A-Z], as sql/0003 stores them. */
static bool is_transaction_number(const char *s)
{
  size_t n = strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  return n == 16 && s[n] == '\0';
}

static int run_route(struct request *rq, const struct route *r)
{
  rq->route = r;
  if (auth_check(rq, r->auth) != 0)
    return rq->status; /* auth_check has answered */
  /* Every {number} is a transaction number.  Anything else is answered
   * here, before it reaches a query: nginx decodes %FF into a raw byte, and
   * PostgreSQL refuses a parameter that is not UTF-8 (a false 503). */
  if (strstr(r->pattern, "{number}") && !is_transaction_number(rq->path_param))
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction with that number (16 of 0-9, A-Z)");
  if (strstr(r->pattern, "{id}") && !public_id_valid(TOKEN_REQUEST_ID_PREFIX, rq->path_param))
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TOKEN, "no token request with that ID (tk_ and 22 of A-Z, a-z, 0-9, _, -)");
  if (strstr(r->pattern, "{refund}") && !public_id_valid(REFUND_ID_PREFIX, rq->path_param2))
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_REFUND, "no refund with that ID (rf_ and 22 of A-Z, a-z, 0-9, _, -)");
  return r->handler(rq);
}

const struct route *router_find(const char *method, const char *path, char *param, char *param2,
                                const struct route **same_path)
{
  const struct route *first = NULL;

  for (const struct route *r = router_routes; r->method; r++) {
    if (router_match2(r->pattern, path, param, param2, PATH_PARAM_MAX + 1) != 0)
      continue;
    first = first ? first : r;
    if (strcmp(r->method, method) == 0) {
      if (same_path)
        *same_path = first;
      return r;
    }
  }
  if (same_path)
    *same_path = first;
  return NULL;
}

int router_dispatch(struct request *rq)
{
  char param[PATH_PARAM_MAX + 1] = "", param2[PATH_PARAM_MAX + 1] = "";
  const struct route *same_path;
  const struct route *r = router_find(rq->method, rq->path, param, param2, &same_path);

  if (r) {
    memcpy(rq->path_param, param, sizeof param);
    memcpy(rq->path_param2, param2, sizeof param2);
    return run_route(rq, r);
  }
  if (same_path)
    return CLIENT_FAULT(rq, PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed on %s", rq->method, rq->path);
  return CLIENT_FAULT(rq, PROBLEM_NOT_FOUND, "no resource at %.200s", rq->path);
}
