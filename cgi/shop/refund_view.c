/* refund_view.c — the shop's refunds as its pages show them
 * (refund_view.h). */
#include "shop/refund_view.h"
#include "shop/cart_view.h"
#include "common/utf8.h"
#include "web/token.h"

#include <stdio.h>
#include <string.h>

const char *refund_order_state(int64_t refunded, int64_t total)
{
  if (refunded <= 0)
    return NULL;
  return refunded >= total ? "refunded" : "partly_refunded";
}

const char *refund_order_state_text(const char *state)
{
  if (!state)
    return NULL;
  return strcmp(state, "refunded") == 0 ? "Refunded" : "Partly refunded";
}

static const char *kind_text(const char *kind)
{
  return strcmp(kind, "void") == 0 ? "Void" : "Refund";
}

static const char *status_text(const char *status)
{
  static const struct {
    const char *status, *text;
  } texts[] = {
    { "pending", "Pending" },
    { "completed", "Refunded" },
    { "declined", "Declined" },
    { "failed", "Failed" },
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (strcmp(texts[i].status, status) == 0)
      return texts[i].text;
  return status;
}

json_t *refund_rows_json(const struct refund_row *rows, int n, int64_t *refunded)
{
  json_t *a = json_array();

  *refunded = 0;
  for (int i = 0; i < n; i++) {
    const struct refund_row *r = &rows[i];
    if (strcmp(r->status, "completed") == 0)
      *refunded += r->amount;
    json_t *row = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "id", r->refund_id, "kind", r->kind, "kind_text",
                            kind_text(r->kind), "amount", shop_amount_json(r->amount), "status", r->status,
                            "status_text", status_text(r->status), "created_at", r->created_at);
    /* null, not absent: the template's look-up stops there instead of finding the order's own "reason" */
    json_object_set_new(row, "reason", r->reason[0] ? json_string(r->reason) : json_null());
    json_object_set_new(row, "outcome_reason", r->outcome_reason[0] ? json_string(r->outcome_reason) : json_null());
    json_array_append_new(a, row);
  }
  return a;
}

int refund_amount_parse(const char *text, int64_t max, int64_t *out)
{
  size_t len = text ? strlen(text) : 0;
  int64_t v = 0;

  if (len < 1 || len > 12 || text[0] == '0')
    return -1;
  for (size_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9')
      return -1;
    v = v * 10 + (text[i] - '0');
  }
  if (v > max)
    return -1;
  *out = v;
  return 0;
}

bool refund_reason_ok(const char *reason)
{
  if (!reason || !*reason)
    return true;
  if (!utf8_valid(reason) || utf8_count(reason) > 200)
    return false;
  for (const unsigned char *p = (const unsigned char *)reason; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return false;
  /* C1 controls (U+0080..U+009F) are C2 80..C2 9F in UTF-8 */
  for (const unsigned char *p = (const unsigned char *)reason; p[0] && p[1]; p++)
    if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
      return false;
  return true;
}

bool refund_event_valid(const struct refund_event *ev)
{
  const char *id = ev->refund_id, *cur = ev->currency;

  if (!id || strlen(id) != 25 || strncmp(id, "rf_", 3) != 0)
    return false;
  for (const char *p = id + 3; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
      return false;
  if (!ev->kind || (strcmp(ev->kind, "void") != 0 && strcmp(ev->kind, "refund") != 0))
    return false;
  if (ev->amount <= 0 || ev->amount >= 1000000000000LL)
    return false;
  if (!cur || strlen(cur) != 3)
    return false;
  for (int i = 0; i < 3; i++)
    if (cur[i] < 'A' || cur[i] > 'Z')
      return false;
  return !ev->reason || (utf8_valid(ev->reason) && utf8_count(ev->reason) >= 1 && utf8_count(ev->reason) <= 200);
}

int refund_key_make(char out[REFUND_KEY_LEN + 1])
{
  char hex[33];
  if (token_random_hex(hex, 16) != 0)
    return -1;
  snprintf(out, REFUND_KEY_LEN + 1, "%s%s", REFUND_KEY_PREFIX, hex);
  return 0;
}

bool refund_key_ok(const char *key)
{
  size_t plen = sizeof REFUND_KEY_PREFIX - 1;
  if (!key || strlen(key) != REFUND_KEY_LEN || strncmp(key, REFUND_KEY_PREFIX, plen) != 0)
    return false;
  for (const char *p = key + plen; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return false;
  return true;
}

struct result_text {
  const char *word, *text;
};

static const struct result_text *result_entry(const char *result)
{
  static const struct result_text texts[] = {
    { "completed", "The refund is done: the card issuer gave the money back." },
    { "pending", "The refund was sent; the card issuer has not answered yet. This page shows it when it does." },
    { "declined", "The card issuer declined the refund." },
    { "failed", "The refund failed: the card issuer never answered." },
    { "too_much", "That is more than the order has left to refund." },
    { "not_paid", "Only a paid order can be refunded." },
    { "sent_already", "This form was sent already with other values: reload the page to make another refund." },
    { "bad_amount", "Enter the amount as a whole number of yen, at least 1 and at most what is left." },
    { "bad_reason", "The reason must be at most 200 characters, with no control characters." },
    { "unreachable", "The gateway did not answer: send the form again (it makes one refund, not two)." },
    { "refused", "The gateway refused the refund." },
  };
  for (size_t i = 0; result && i < sizeof texts / sizeof texts[0]; i++)
    if (strcmp(texts[i].word, result) == 0)
      return &texts[i];
  return NULL;
}

const char *refund_result_text(const char *result)
{
  const struct result_text *e = result_entry(result);
  return e ? e->text : NULL;
}

const char *refund_result_word(const char *result)
{
  const struct result_text *e = result_entry(result);
  return e ? e->word : NULL;
}
