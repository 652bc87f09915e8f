/* txn.c — see txn.h. */
#include "gateway/txn.h"
#include "gateway/db/terminal.h"
#include "gateway/reply.h"
#include "gateway/timefmt.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool txn_is_final(const char *status)
{
  static const char *const finals[] = { "completed", "declined", "failed", "canceled", "expired", NULL };
  for (const char *const *f = finals; *f; f++)
    if (strcmp(status, *f) == 0)
      return true;
  return false;
}

static json_t *nullable(bool has, const char *text)
{
  return has ? json_string(text) : json_null();
}

static json_t *outcome_view(const struct txn_view *v)
{
  if (strcmp(v->status, "completed") == 0)
    return json_pack("{s:s, s:s, s:i, s:s, s:o}", "approval_code", v->approval_code, "method", v->method,
                     "installments", v->installments, "card", v->card_masked, "completed_at",
                     nullable(v->has_completed_at, v->completed_at));
  if (strcmp(v->status, "declined") == 0)
    return json_pack("{s:s, s:s}", "code", v->response_code, "reason", v->outcome_reason);
  return json_pack("{s:s}", "reason", v->outcome_reason);
}

json_t *txn_terminal_view(const struct txn_view *v)
{
  json_t *items = json_loads(v->items ? v->items : "", 0, NULL);
  json_t *view = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:o, s:s, s:o, s:o}", "transaction", v->number, "status",
                           v->status, "binding_code", v->binding_code, "total", (json_int_t)v->total, "tax_total",
                           (json_int_t)v->tax_total, "currency", v->currency, "reference",
                           nullable(v->has_reference, v->reference), "created_at", v->created_at, "expires_at",
                           nullable(v->has_deadline, v->deadline), "items", items ? items : json_array());
  json_object_set_new(view, "refunded", json_integer((json_int_t)v->refunded));
  json_object_set_new(view, "refundable", json_integer((json_int_t)v->refundable));
  if (strcmp(v->status, "completed") == 0)
    json_object_set_new(view, "completion", outcome_view(v));
  else if (strcmp(v->status, "declined") == 0)
    json_object_set_new(view, "decline", outcome_view(v));
  else if (txn_is_final(v->status))
    json_object_set_new(view, strcmp(v->status, "failed") == 0 ? "failure" : "ended", outcome_view(v));
  return view;
}

json_t *txn_completion_message(const struct txn_ref *ref, const char *status, const char *approval, const char *reason)
{
  char now[RFC3339_LEN];
  rfc3339(time(NULL), now);
  json_t *msg = json_pack("{s:s, s:s, s:s, s:s}", "kind", "completion", "transaction", ref->number, "user_id",
                          ref->user_id, "status", status);
  if (approval && *approval)
    json_object_set_new(msg, "approval_code", json_string(approval));
  if (reason && *reason)
    json_object_set_new(msg, "reason", json_string(reason));
  json_object_set_new(msg, "issued_at", json_string(now));
  return msg;
}

int txn_reply_wrong_state(struct request *rq, const char *status, const char *doing)
{
  return CLIENT_FAULT_EXTRA(rq, PROBLEM_WRONG_STATE, json_pack("{s:s}", "transaction_status", status),
                            "the transaction is %s; %s is not possible now", status, doing);
}

int txn_reply_access(struct request *rq, enum txn_access access)
{
  switch (access) {
  case TXN_UNKNOWN:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s", rq->path_param);
  case TXN_BAD_SESSION:
    reply_add_header(rq, "WWW-Authenticate: Bearer realm=\"paygw\"");
    return CLIENT_FAULT(rq, PROBLEM_UNAUTHENTICATED, "the session does not belong to this transaction");
  default:
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  }
}
