/* screens.c — the handset's screens (figures 13, 16, 17, a refund) as plain text, and
 * the check of a chosen payment method against the offered ones. */
#include "handset-client/screens.h"
#include "handset-client/shopurl.h"
#include "proxlink/clientutil.h"
#include "common/pan.h"

#include <string.h>

static const char *str(const json_t *o, const char *name)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v ? v : "";
}

void screen_cards(FILE *out, const struct uim_store *s)
{
  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "| Select the card to pay with                      |\n");
  fprintf(out, "+--------------------------------------------------+\n");
  for (size_t i = 0; i < s->n_users; i++)
    fprintf(out, "  [%zu] %-18.18s %-19s user ID %s\n", i + 1, s->users[i].label, s->users[i].card_masked,
            s->users[i].user_id);
  if (s->n_users == 0)
    fprintf(out, "  (no card on this handset)\n");
}

/* The items, tax and total of figure 16 (a payment's or a token's). */
static void item_table(FILE *out, const json_t *d)
{
  const char *cur = str(d, "currency");
  const json_t *items = json_object_get(d, "items"), *it;
  char a[40], b[40], c[40];
  size_t i;

  fprintf(out, "  %-24s %5s %12s %10s\n", "Item", "Qty", "Unit price", "Tax");
  json_array_foreach (items, i, it) {
    fprintf(out, "  %-24.24s %5lld %12s %10s\n", str(it, "name"),
            (long long)json_integer_value(json_object_get(it, "quantity")),
            money_format(json_integer_value(json_object_get(it, "unit_price")), cur, a, sizeof a),
            money_format(json_integer_value(json_object_get(it, "tax")), cur, b, sizeof b));
  }
  fprintf(out, "  Tax:           %s %s\n",
          money_format(json_integer_value(json_object_get(d, "tax_total")), cur, c, sizeof c), cur);
  fprintf(out, "  Total:         %s %s\n",
          money_format(json_integer_value(json_object_get(d, "total")), cur, a, sizeof a), cur);
}

void screen_details(FILE *out, const json_t *d)
{
  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "| Confirm the payment                              |\n");
  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "  Shop:          %s (%s, merchant %s)\n", str(d, "shop"), str(json_object_get(d, "merchant"), "name"),
          str(json_object_get(d, "merchant"), "code"));
  fprintf(out, "  Binding code:  %s   (the POS display or the shop's page shows the same)\n", str(d, "binding_code"));
  fprintf(out, "  Transaction:   %s\n", str(d, "transaction"));
  item_table(out, d);
  char masked[PAN_MAX_LEN + 1];
  pan_mask(str(json_object_get(d, "card"), "masked"), masked, sizeof masked); /* however the gateway sent it */
  fprintf(out, "  Card:          %s  %s\n", str(json_object_get(d, "card"), "label"), masked);
  if (*str(d, "confirm_by"))
    fprintf(out, "  Answer by:     %s\n", str(d, "confirm_by"));
}

void screen_token(FILE *out, const json_t *m)
{
  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "| Confirm the shop's request for your card         |\n");
  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "  Shop:          %s (merchant %s)\n", str(m, "shop"), str(m, "merchant"));
  fprintf(out, "  Binding code:  %s   (the POS display shows the same)\n", str(m, "binding_code"));
  fprintf(out, "  Request:       %s\n", str(m, "token"));
  item_table(out, m);
  fprintf(out, "  The shop gets your card number encrypted for this one sale; it cannot read it.\n");
  if (*str(m, "reply_deadline"))
    fprintf(out, "  Answer by:     %s\n", str(m, "reply_deadline"));
}

bool refund_message_valid(const json_t *m)
{
  const json_t *a = json_object_get(m, "amount"), *r = json_object_get(m, "refunded"), *t = json_object_get(m, "total");
  const char *kind = str(m, "refund_kind");

  return strncmp(str(m, "refund"), "rf_", 3) == 0 && *str(m, "transaction")
         && (strcmp(kind, "refund") == 0 || strcmp(kind, "void") == 0) && currency_exponent(str(m, "currency")) >= 0
         && json_is_integer(a) && json_is_integer(r) && json_is_integer(t) && json_integer_value(a) > 0
         && json_integer_value(a) <= json_integer_value(r) && json_integer_value(r) <= json_integer_value(t);
}

int screen_refund(FILE *out, const json_t *m)
{
  const char *cur = str(m, "currency"), *kind = str(m, "refund_kind");
  char shop[200], a[40], r[40], t[40];

  if (!refund_message_valid(m))
    return -1;
  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "| Money back from the shop                         |\n");
  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "  Shop:          %s (merchant %s)\n", shop_printable(str(m, "shop"), shop, sizeof shop),
          str(m, "merchant"));
  fprintf(out, "  Transaction:   %s\n", str(m, "transaction"));
  fprintf(out, "  Refund:        %s (%s)\n", str(m, "refund"),
          strcmp(kind, "void") == 0 ? "void: the payment canceled" : "refund");
  fprintf(out, "  Amount back:   %s %s\n",
          money_format(json_integer_value(json_object_get(m, "amount")), cur, a, sizeof a), cur);
  fprintf(out, "  Refunded:      %s of %s %s\n",
          money_format(json_integer_value(json_object_get(m, "refunded")), cur, r, sizeof r),
          money_format(json_integer_value(json_object_get(m, "total")), cur, t, sizeof t), cur);
  if (*str(m, "issued_at"))
    fprintf(out, "  At:            %s\n", str(m, "issued_at"));
  return 0;
}

const char *method_installments_text(const json_t *methods, const char *method, char *buf, size_t len)
{
  const json_t *m, *n;
  size_t i, j, used = 0;

  buf[0] = '\0';
  json_array_foreach (methods, i, m) {
    if (strcmp(str(m, "method"), method) != 0)
      continue;
    json_array_foreach (json_object_get(m, "installments"), j, n) {
      int w = snprintf(buf + used, len - used, "%s%lld", j ? ", " : "", (long long)json_integer_value(n));
      if (w < 0 || (size_t)w >= len - used)
        break;
      used += (size_t)w;
    }
  }
  return buf;
}

size_t screen_methods(FILE *out, const json_t *methods)
{
  const json_t *m;
  size_t i;
  char counts[96];

  fprintf(out, "+--------------------------------------------------+\n");
  fprintf(out, "| Select the payment method                        |\n");
  fprintf(out, "+--------------------------------------------------+\n");
  json_array_foreach (methods, i, m) {
    method_installments_text(methods, str(m, "method"), counts, sizeof counts);
    fprintf(out, "  [%zu] %-3s %s%s%s%s\n", i + 1, str(m, "method"), str(m, "name"), *counts ? " (" : "", counts,
            *counts ? " payments)" : "");
  }
  return json_array_size(methods);
}

const char *method_at(const json_t *methods, size_t index)
{
  if (index < 1 || index > json_array_size(methods))
    return NULL;
  return json_string_value(json_object_get(json_array_get(methods, index - 1), "method"));
}

int method_check(const json_t *methods, const char *method, long installments, char *err, size_t errlen)
{
  const json_t *m, *n;
  size_t i, j;
  char offered[64] = "", counts[96];

  json_array_foreach (methods, i, m) {
    size_t used = strlen(offered);
    snprintf(offered + used, sizeof offered - used, "%s%s", i ? ", " : "", str(m, "method"));
  }
  json_array_foreach (methods, i, m) {
    if (strcmp(str(m, "method"), method) != 0)
      continue;
    const json_t *allowed = json_object_get(m, "installments");
    if (json_array_size(allowed) == 0) {
      if (installments == 0)
        return 0;
      snprintf(err, errlen, "method %s takes no installment count", method);
      return -1;
    }
    json_array_foreach (allowed, j, n)
      if (json_integer_value(n) == installments)
        return 0;
    snprintf(err, errlen, "method %s needs an installment count of %s", method,
             method_installments_text(methods, method, counts, sizeof counts));
    return -1;
  }
  snprintf(err, errlen, "method %s is not offered for this card here; offered: %s", method, offered);
  return -1;
}
