/* token_request.c — see token_request.h. */
#include "gateway/token_request.h"
#include "gateway/post_checks.h"
#include "gateway/tokens.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool token_status_is_final(const char *status)
{
  static const char *const finals[] = { "issued", "failed", "canceled", "expired", "rejected", NULL };
  for (const char *const *f = finals; *f; f++)
    if (strcmp(status, *f) == 0)
      return true;
  return false;
}

int token_reply_signed_text(const char *id, const char *device, const char *stamp, const char *body, size_t body_len,
                            char *out, size_t cap)
{
  unsigned char digest[32];
  unsigned int len = 0;
  char hex[65];

  EVP_Digest(body ? body : "", body ? body_len : 0, digest, &len, EVP_sha256(), NULL);
  token_hex(digest, sizeof digest, hex);
  int n = snprintf(out, cap, "token-reply:%s:%s:%s:%s", id, device, stamp, hex);
  return n < 0 || (size_t)n >= cap ? -1 : n;
}

enum token_verdict token_reply_verdict(const struct token_reply_facts *f)
{
  if (!f->device_ok)
    return VERDICT_WRONG_DEVICE;
  if (!f->agree)
    return VERDICT_NOT_AGREED;
  if (f->locked)
    return VERDICT_USER_LOCKED;
  return f->password_ok ? VERDICT_RIGHT_PASSWORD : VERDICT_WRONG_PASSWORD;
}

bool token_reply_needs_password(const struct token_reply_facts *f)
{
  return f->device_ok && f->agree && !f->locked;
}

const char *token_verdict_word(enum token_verdict v)
{
  static const char *const words[] = {
    [VERDICT_WRONG_DEVICE] = "wrong_device",     [VERDICT_NOT_AGREED] = "not_agreed",
    [VERDICT_USER_LOCKED] = "user_locked",       [VERDICT_WRONG_PASSWORD] = "wrong_password",
    [VERDICT_RIGHT_PASSWORD] = "right_password",
  };
  return words[v];
}

void token_expiry_text(time_t t, char out[15])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 15, "%Y%m%d%H%M%S", &tm);
}

void token_delivery_outcome(bool answered, const char *response_code, const char **status, const char **reason)
{
  if (answered && response_code && strcmp(response_code, "00") == 0) {
    *status = "issued";
    *reason = NULL;
  } else {
    *status = "failed";
    *reason = answered ? "issuer_refused" : "issuer_unavailable";
  }
}

void token_request_hash(const json_t *body, char out[65])
{
  idempotency_request_hash("POST /v1/tokens", body, out);
}

char *token_answer_compact(const char *text)
{
  json_t *v = json_loads(text ? text : "", 0, NULL);
  char *out = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(v);
  return out;
}

json_t *token_confirmation_message(const struct token_confirmation *c)
{
  json_t *items = json_loads(c->items ? c->items : "", 0, NULL);
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:I, s:s, s:s}", "kind", "token_confirmation",
                   "token", c->id, "user_id", c->user_id, "device_id", c->device_id, "merchant", c->merchant, "shop",
                   c->shop, "items", items ? items : json_array(), "currency", c->currency, "total",
                   (json_int_t)c->total, "tax_total", (json_int_t)c->tax_total, "binding_code", c->binding_code,
                   "reply_deadline", c->reply_deadline);
}
