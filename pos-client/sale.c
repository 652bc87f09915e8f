/* sale.c — parsing, totals, display, receipt and journal line of a POS sale
 * (sale.h).  Money stays int64 minor units throughout; every sum is checked
 * against the gateway's bounds before it could overflow. */
#include "pos-client/sale.h"
#include "proxlink/clientutil.h"
#include "common/pan.h"
#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>

int sale_init(struct sale *s, const char *currency, char *err, size_t errlen)
{
  memset(s, 0, sizeof *s);
  if (currency_exponent(currency) < 0) {
    snprintf(err, errlen, "currency must be JPY, USD, EUR or GBP, got '%.8s'", currency ? currency : "");
    return -1;
  }
  snprintf(s->currency, sizeof s->currency, "%s", currency);
  return 0;
}

/* Strict unsigned integer within [min, max]: digits only, no sign, no spaces. */
static int parse_amount(const char *text, size_t len, int64_t min, int64_t max, int64_t *out)
{
  int64_t v = 0;

  if (len == 0 || len > 11)
    return -1;
  for (size_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9')
      return -1;
    v = v * 10 + (text[i] - '0');
  }
  if (v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

static int check_name(const char *name, size_t len, char *err, size_t errlen)
{
  if (len == 0) {
    snprintf(err, errlen, "item name is empty");
    return -1;
  }
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
      snprintf(err, errlen, "item name holds a control character");
      return -1;
    }
  long chars = utf8_count_n(name, len);
  if (chars < 0) {
    snprintf(err, errlen, "item name is not valid UTF-8");
    return -1;
  }
  if (chars > SALE_NAME_MAX) {
    snprintf(err, errlen, "item name is longer than %d characters", SALE_NAME_MAX);
    return -1;
  }
  return 0;
}

int sale_set_reference(struct sale *s, const char *reference, char *err, size_t errlen)
{
  if (!reference || !*reference) {
    snprintf(err, errlen, "--reference is empty");
    return -1;
  }
  long chars = utf8_count(reference);
  if (chars < 0) {
    snprintf(err, errlen, "--reference is not valid UTF-8");
    return -1;
  }
  for (const char *p = reference; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      snprintf(err, errlen, "--reference holds a control character");
      return -1;
    }
  if (chars > SALE_REFERENCE_MAX || strlen(reference) >= sizeof s->reference) {
    snprintf(err, errlen, "--reference is longer than %d characters", SALE_REFERENCE_MAX);
    return -1;
  }
  snprintf(s->reference, sizeof s->reference, "%s", reference);
  return 0;
}

int sale_add_item(struct sale *s, const char *spec, char *err, size_t errlen)
{
  const char *c3 = strrchr(spec, ','), *c2 = NULL, *c1 = NULL;
  struct sale_item it = { 0 };

  if (c3)
    for (const char *p = c3 - 1; p >= spec && !c1; p--)
      if (*p == ',') {
        if (!c2)
          c2 = p;
        else
          c1 = p;
      }
  if (!c1) {
    snprintf(err, errlen, "item must be \"name,quantity,unit_price,tax\", got '%.60s'", spec);
    return -1;
  }
  if (s->n_items >= SALE_MAX_ITEMS) {
    snprintf(err, errlen, "a sale holds at most %d items", SALE_MAX_ITEMS);
    return -1;
  }
  if (check_name(spec, (size_t)(c1 - spec), err, errlen) != 0)
    return -1;
  if (parse_amount(c1 + 1, (size_t)(c2 - c1 - 1), 1, SALE_QTY_MAX, &it.quantity) != 0) {
    snprintf(err, errlen, "quantity must be 1-%d, got '%.*s'", SALE_QTY_MAX, (int)(c2 - c1 - 1), c1 + 1);
    return -1;
  }
  if (parse_amount(c2 + 1, (size_t)(c3 - c2 - 1), 0, SALE_PRICE_MAX, &it.unit_price) != 0) {
    snprintf(err, errlen, "unit price must be 0-%lld minor units, got '%.*s'", SALE_PRICE_MAX, (int)(c3 - c2 - 1),
             c2 + 1);
    return -1;
  }
  if (parse_amount(c3 + 1, strlen(c3 + 1), 0, SALE_PRICE_MAX, &it.tax) != 0) {
    snprintf(err, errlen, "tax must be 0-%lld minor units, got '%.20s'", SALE_PRICE_MAX, c3 + 1);
    return -1;
  }
  memcpy(it.name, spec, (size_t)(c1 - spec));
  s->items[s->n_items++] = it;
  return 0;
}

int sale_add_file(struct sale *s, FILE *f, const char *name, char *err, size_t errlen)
{
  char line[1024], why[256];
  int n = 0;

  while (fgets(line, sizeof line, f)) {
    n++;
    if (!strchr(line, '\n') && !feof(f)) {
      snprintf(err, errlen, "%s:%d: line too long", name, n);
      return -1;
    }
    char *p = text_line_content(line);
    if (!p)
      continue;
    if (sale_add_item(s, p, why, sizeof why) != 0) {
      snprintf(err, errlen, "%s:%d: %s", name, n, why);
      return -1;
    }
  }
  return 0;
}

int sale_totals(struct sale *s, char *err, size_t errlen)
{
  /* each line is at most 9999 * 10^10 < 10^14, fifty lines < 10^16 < 2^63 */
  int64_t sub = 0, tax = 0;

  if (s->n_items == 0) {
    snprintf(err, errlen, "the sale has no item (give --item or --file)");
    return -1;
  }
  for (size_t i = 0; i < s->n_items; i++) {
    sub += s->items[i].quantity * s->items[i].unit_price;
    tax += s->items[i].tax;
  }
  if (sub + tax <= 0) {
    snprintf(err, errlen, "the total must be positive");
    return -1;
  }
  s->subtotal = sub;
  s->tax_total = tax;
  s->total = sub + tax;
  return 0;
}

/* The sale's items as the gateway's API spells them. */
static json_t *items_json(const struct sale *s)
{
  json_t *items = json_array();

  for (size_t i = 0; i < s->n_items; i++)
    json_array_append_new(items, json_pack("{s:s, s:I, s:I, s:I}", "name", s->items[i].name, "quantity",
                                           (json_int_t)s->items[i].quantity, "unit_price",
                                           (json_int_t)s->items[i].unit_price, "tax", (json_int_t)s->items[i].tax));
  return items;
}

json_t *sale_request_json(const struct sale *s, const char *user_id)
{
  json_t *items = items_json(s);
  json_t *body = json_pack("{s:s, s:s, s:o}", "user_id", user_id, "currency", s->currency, "items", items);
  if (s->reference[0])
    json_object_set_new(body, "reference", json_string(s->reference));
  return body;
}

static const char *money(int64_t v, const struct sale *s, char *buf, size_t len)
{
  return money_format(v, s->currency, buf, len);
}

static void rule(FILE *out, char c)
{
  for (int i = 0; i < 48; i++)
    fputc(c, out);
  fputc('\n', out);
}

static void item_lines(FILE *out, const struct sale *s)
{
  char a[40], b[40], c[40];

  fprintf(out, "%-22s %5s %9s %9s\n", "Item", "Qty", "Price", "Amount");
  for (size_t i = 0; i < s->n_items; i++) {
    const struct sale_item *it = &s->items[i];
    fprintf(out, "%-22.22s %5lld %9s %9s\n", it->name, (long long)it->quantity, money(it->unit_price, s, a, sizeof a),
            money(it->quantity * it->unit_price, s, b, sizeof b));
    if (it->tax)
      fprintf(out, "%-22s %5s %9s %9s\n", "  tax", "", "", money(it->tax, s, c, sizeof c));
  }
}

static void total_lines(FILE *out, const struct sale *s)
{
  char a[40];
  fprintf(out, "%-30s %13s %s\n", "Subtotal", money(s->subtotal, s, a, sizeof a), s->currency);
  fprintf(out, "%-30s %13s %s\n", "Tax", money(s->tax_total, s, a, sizeof a), s->currency);
  fprintf(out, "%-30s %13s %s\n", "TOTAL", money(s->total, s, a, sizeof a), s->currency);
}

void sale_rule(FILE *out, char c)
{
  rule(out, c);
}

void sale_lines(FILE *out, const struct sale *s)
{
  item_lines(out, s);
  rule(out, '-');
  total_lines(out, s);
}

void sale_display(FILE *out, const struct sale *s, const char *shop)
{
  rule(out, '=');
  fprintf(out, "%s%s%s\n", shop, s->reference[0] ? "   sale " : "", s->reference);
  rule(out, '-');
  item_lines(out, s);
  rule(out, '-');
  total_lines(out, s);
  rule(out, '=');
}

static const char *jstr(const json_t *o, const char *name, const char *fallback)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v && *v ? v : fallback;
}

/* The gateway sends the card masked (pan_mask's rule: first 6 and last 4
 * from 16 digits, else the last 4 only); should anything that shows more
 * ever come, the POS shows and keeps none of it. */
static const char *card_shown(const json_t *completion)
{
  const char *card = jstr(completion, "card", "-");
  return pan_mask_conforms(card) ? card : "(withheld)";
}

/* Why a transaction did not complete, from its decline / failure / ended member. */
static const char *end_reason(const json_t *txn)
{
  const json_t *d = json_object_get(txn, "decline");
  if (!d)
    d = json_object_get(txn, "failure");
  if (!d)
    d = json_object_get(txn, "ended");
  return jstr(d, "reason", "no reason given");
}

bool sale_status_final(const char *status)
{
  static const char *const finals[] = { "completed", "declined", "failed", "canceled", "expired", NULL };
  for (int i = 0; status && finals[i]; i++)
    if (strcmp(status, finals[i]) == 0)
      return true;
  return false;
}

/* The slip's heading word for a final status that is not completed. */
static const char *end_word(const char *status)
{
  return strcmp(status, "declined") == 0  ? "DECLINED"
         : strcmp(status, "failed") == 0  ? "FAILED"
         : strcmp(status, "expired") == 0 ? "EXPIRED"
                                          : "CANCELED";
}

void sale_receipt(FILE *out, const struct sale *s, const char *shop, const json_t *txn)
{
  const char *status = jstr(txn, "status", "unknown");
  const json_t *c = json_object_get(txn, "completion");
  bool final = sale_status_final(status);

  rule(out, '=');
  fprintf(out, "%s\n", shop);
  if (!final) /* the gateway never said how it ended */
    fprintf(out, "OUTCOME UNKNOWN - check transaction %s\n", jstr(txn, "transaction", "-"));
  else
    fprintf(out, "%s\n", strcmp(status, "completed") == 0 ? "RECEIPT" : "SALE NOT PAID");
  rule(out, '-');
  item_lines(out, s);
  rule(out, '-');
  total_lines(out, s);
  rule(out, '-');
  fprintf(out, "Transaction   %s\n", jstr(txn, "transaction", "-"));
  if (strcmp(status, "completed") == 0) {
    long long inst = json_integer_value(json_object_get(c, "installments"));
    fprintf(out, "Method        %s", jstr(c, "method", "-"));
    if (inst > 0)
      fprintf(out, " (%lld payments)", inst);
    fprintf(out, "\nApproval code %s\n", jstr(c, "approval_code", "-"));
    fprintf(out, "Card          %s\n", card_shown(c));
    fprintf(out, "Paid at       %s\n", jstr(c, "completed_at", "-"));
  } else if (!final) {
    fprintf(out, "The gateway did not answer with the outcome; the transaction may still be open.\n");
    fprintf(out, "Status        %s (last seen)\n", status);
  } else {
    const json_t *d = json_object_get(txn, "decline");
    fprintf(out, "%s: %s", end_word(status), end_reason(txn));
    if (d && jstr(d, "code", NULL))
      fprintf(out, " (code %s)", jstr(d, "code", ""));
    fprintf(out, "\nStatus        %s\n", status);
  }
  rule(out, '=');
}

char *sale_journal_line(const struct sale *s, const char *when, const char *status, const char *user_id,
                        const json_t *txn, const char *reason)
{
  const json_t *c = json_object_get(txn, "completion");
  json_t *items = items_json(s);
  json_t *line =
      json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:I, s:I, s:o}", "time", when, "status", status, "transaction",
                txn && jstr(txn, "transaction", NULL) ? json_string(jstr(txn, "transaction", "")) : json_null(),
                "reference", s->reference[0] ? json_string(s->reference) : json_null(), "user_id",
                user_id && *user_id ? json_string(user_id) : json_null(), "currency", s->currency, "total",
                (json_int_t)s->total, "tax_total", (json_int_t)s->tax_total, "items", items);
  if (c) {
    json_object_set(line, "method", json_object_get(c, "method"));
    if (json_integer_value(json_object_get(c, "installments")) > 0)
      json_object_set(line, "installments", json_object_get(c, "installments"));
    json_object_set(line, "approval_code", json_object_get(c, "approval_code"));
    json_object_set_new(line, "card", json_string(card_shown(c))); /* masked, never more */
  }
  if (json_object_get(txn, "binding_code"))
    json_object_set(line, "binding_code", json_object_get(txn, "binding_code"));
  if (reason)
    json_object_set_new(line, "reason", json_string(reason));
  else if (txn && strcmp(status, "completed") != 0 && strcmp(status, "pending") != 0)
    json_object_set_new(line, "reason", json_string(end_reason(txn)));
  if (json_object_get(json_object_get(txn, "decline"), "code"))
    json_object_set(line, "decline_code", json_object_get(json_object_get(txn, "decline"), "code"));
  char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(line);
  return text;
}
