/* refund_view.c — a payment's refunds as the history shows them
 * (refund_view.h). */
#include "history/refund_view.h"
#include "common/money_text.h"

#include <string.h>

const char *history_refund_state(int64_t refunded, int64_t total)
{
  if (refunded <= 0)
    return NULL;
  return refunded >= total ? "refunded" : "partly_refunded";
}

const char *history_refund_state_text(const char *state)
{
  if (!state)
    return NULL;
  return strcmp(state, "refunded") == 0 ? "Refunded" : "Partly refunded";
}

const char *history_refund_kind_text(const char *kind)
{
  if (strcmp(kind, "void") == 0)
    return "Void";
  if (strcmp(kind, "refund") == 0)
    return "Refund";
  return kind;
}

const char *history_refund_status_text(const char *status)
{
  static const struct {
    const char *status, *text;
  } texts[] = {
    { "pending", "Pending" },
    { "completed", "Completed" },
    { "declined", "Declined" },
    { "failed", "Failed (no answer from the card issuer)" },
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (strcmp(texts[i].status, status) == 0)
      return texts[i].text;
  return status;
}

/* One stored refund as the receipt's row, or NULL when it is not one. */
static json_t *refund_json(json_t *r, const char *currency, int64_t *refunded)
{
  const char *kind = json_string_value(json_array_get(r, 0)), *status = json_string_value(json_array_get(r, 2));
  json_t *amount = json_array_get(r, 1), *reason = json_array_get(r, 3), *ended = json_array_get(r, 5);
  const char *created = json_string_value(json_array_get(r, 4));
  char text[48];

  if (!kind || !status || !created || !json_is_integer(amount) || json_integer_value(amount) <= 0
      || !(json_is_null(reason) || json_is_string(reason)) || !(json_is_null(ended) || json_is_string(ended)))
    return NULL;
  if (strcmp(status, "completed") == 0)
    *refunded += json_integer_value(amount);
  money_text_display(json_integer_value(amount), currency, text, sizeof text);
  json_t *row =
      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", kind, "kind_text", history_refund_kind_text(kind), "amount",
                text, "status", status, "status_text", history_refund_status_text(status), "created", created);
  /* null, not absent: a template's look-up stops at it instead of finding the payment's own "reason" */
  json_object_set(row, "reason", reason);
  json_object_set(row, "ended", ended);
  return row;
}

json_t *history_refunds_json(const char *stored, const char *currency, int64_t *refunded)
{
  json_t *in = json_loads(stored ? stored : "", 0, NULL), *out = json_array(), *r;
  size_t i;

  *refunded = 0;
  if (!json_is_array(in))
    goto bad;
  json_array_foreach (in, i, r) {
    json_t *row = refund_json(r, currency, refunded);
    if (!row)
      goto bad;
    json_array_append_new(out, row);
  }
  json_decref(in);
  return out;
bad:
  json_decref(in);
  json_decref(out);
  return NULL;
}
