/* txn_view.c — a transaction as the history shows it (txn_view.h). */
#include "history/txn_view.h"
#include "history/refund_view.h"
#include "common/money_text.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *status, *text;
} status_texts[] = {
  { "awaiting_device", "Waiting for the handset" },
  { "awaiting_confirmation", "Waiting for your confirmation" },
  { "awaiting_method", "Waiting for a payment method" },
  { "authorizing", "Being authorized" },
  { "completed", "Completed" },
  { "declined", "Declined" },
  { "failed", "Failed" },
  { "canceled", "Canceled" },
  { "expired", "Expired" },
};

const char *history_status_text(const char *status)
{
  for (size_t i = 0; i < sizeof status_texts / sizeof status_texts[0]; i++)
    if (strcmp(status_texts[i].status, status) == 0)
      return status_texts[i].text;
  return status;
}

const char *history_method_name(const char *method)
{
  static const struct {
    const char *code, *name;
  } names[] = {
    { "L", "Lump sum" }, { "I", "Installments" }, { "B", "Bonus" }, { "pB", "Partial bonus" }, { "R", "Revolving" }
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i].code, method) == 0)
      return names[i].name;
  return method;
}

void history_method_text(const char *method, int installments, char *out, size_t cap)
{
  if (!*method)
    snprintf(out, cap, "—");
  else if (strcmp(method, "I") == 0 && installments > 0)
    snprintf(out, cap, "Installments ×%d", installments);
  else
    snprintf(out, cap, "%s", history_method_name(method));
}

static json_t *amount(int64_t minor, const char *currency)
{
  char text[48];
  money_text_display(minor, currency, text, sizeof text);
  return json_string(text);
}

json_t *history_row_json(const struct history_row *r)
{
  char method[48];
  history_method_text(r->method, r->installments, method, sizeof method);
  json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s}", "number", r->number, "created",
                          r->created, "merchant", r->merchant, "shop", r->shop, "amount", amount(r->total, r->currency),
                          "currency", r->currency, "method", method, "status", r->status, "status_text",
                          history_status_text(r->status), "card", *r->card_masked ? r->card_masked : "—");
  const char *refund_state = history_refund_state(r->refunded, r->total);
  if (refund_state) /* the list's badge */
    json_object_set_new(
        row, "refund", json_pack("{s:s, s:s}", "state", refund_state, "text", history_refund_state_text(refund_state)));
  return row;
}

/* One stored item ({name, quantity, unit_price, tax}) as the page shows
 * it, or NULL when it is not that. */
static json_t *item_json(json_t *it, const char *currency)
{
  json_t *name = json_object_get(it, "name"), *q = json_object_get(it, "quantity");
  json_t *price = json_object_get(it, "unit_price"), *tax = json_object_get(it, "tax");

  if (!json_is_string(name) || !json_is_integer(q) || !json_is_integer(price) || !json_is_integer(tax))
    return NULL;
  return json_pack("{s:O, s:I, s:o, s:o}", "name", name, "quantity", json_integer_value(q), "unit_price",
                   amount(json_integer_value(price), currency), "tax", amount(json_integer_value(tax), currency));
}

/* One stored event ([status, time]) as the page shows it, or NULL. */
static json_t *event_json(json_t *ev, const char *currency)
{
  const char *status = json_string_value(json_array_get(ev, 0)), *at = json_string_value(json_array_get(ev, 1));

  (void)currency;
  if (!status || !at)
    return NULL;
  return json_pack("{s:s, s:s, s:s}", "status", status, "status_text", history_status_text(status), "at", at);
}

/* The stored JSON array text with each element as one() shows it; NULL
 * when text is not an array or one() refuses an element. */
static json_t *array_json(const char *text, json_t *(*one)(json_t *elem, const char *currency), const char *currency)
{
  json_t *stored = json_loads(text, 0, NULL), *out = json_array();
  size_t i;
  json_t *elem;

  if (!json_is_array(stored))
    goto bad;
  json_array_foreach (stored, i, elem) {
    json_t *shown = one(elem, currency);
    if (!shown)
      goto bad;
    json_array_append_new(out, shown);
  }
  json_decref(stored);
  return out;
bad:
  json_decref(stored);
  json_decref(out);
  return NULL;
}

json_t *history_detail_json(const struct history_detail *d)
{
  const struct history_row *r = &d->row;
  json_t *items = array_json(d->items ? d->items : "", item_json, r->currency);
  json_t *events = array_json(d->events ? d->events : "", event_json, NULL);
  int64_t refunded = 0;
  json_t *refunds = history_refunds_json(d->refunds ? d->refunds : "[]", r->currency, &refunded);
  if (!items || !events || !refunds) {
    json_decref(items);
    json_decref(events);
    json_decref(refunds);
    return NULL;
  }
  struct history_row shown = *r;
  shown.refunded = refunded; /* the page's own sum, from the same rows it lists */
  json_t *ctx = history_row_json(&shown);
  json_object_set_new(ctx, "items", items);
  json_object_set_new(ctx, "events", events);
  if (json_array_size(refunds) > 0) {
    json_object_set_new(ctx, "refunds",
                        json_pack("{s:o, s:o, s:o, s:I}", "rows", refunds, "refunded", amount(refunded, r->currency),
                                  "net", amount(r->total - refunded, r->currency), "refunded_minor",
                                  (json_int_t)refunded));
  } else {
    json_decref(refunds);
  }
  json_object_set_new(ctx, "tax_total", amount(d->tax_total, r->currency));
  json_object_set_new(ctx, "binding_code", json_string(d->binding_code));
  json_object_set_new(ctx, "completed_at", json_string(d->completed));
  if (*r->approval_code)
    json_object_set_new(ctx, "approval_code", json_string(r->approval_code));
  /* a decline's reason, or why it failed, was canceled or expired */
  if (!*r->approval_code && *d->reason)
    json_object_set_new(ctx, "decline_reason", json_string(d->reason));
  if (*d->response_code)
    json_object_set_new(ctx, "response_code", json_string(d->response_code));
  return ctx;
}

int history_csv_header(struct csv_line *line)
{
  static const char *const names[] = { "date",   "number",       "merchant", "shop", "amount",        "currency",
                                       "method", "installments", "status",   "card", "approval_code", "refunded" };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (csv_add(line, names[i]) != 0)
      return -1;
  return csv_end(line);
}

int history_csv_row(struct csv_line *line, const struct history_row *r)
{
  char amount_text[48], refunded_text[48], installments[12] = "";

  money_text_plain(r->total, r->currency, amount_text, sizeof amount_text);
  money_text_plain(r->refunded, r->currency, refunded_text, sizeof refunded_text);
  if (r->installments > 0)
    snprintf(installments, sizeof installments, "%d", r->installments);
  const char *fields[] = { r->created,
                           r->number,
                           r->merchant,
                           r->shop,
                           amount_text,
                           r->currency,
                           history_method_name(r->method),
                           installments,
                           r->status,
                           r->card_masked,
                           r->approval_code,
                           refunded_text };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (csv_add(line, fields[i]) != 0)
      return -1;
  return csv_end(line);
}
