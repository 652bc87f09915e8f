/* refund_slip.c — what the POS prints of refunds (refund.h): the refund
 * receipt, a refusal in plain words, and the list of a payment's refunds.
 * Money is the gateway's integers, shown in the currency's own units. */
#include "pos-client/refund.h"
#include "pos-client/sale.h"
#include "proxlink/clientutil.h"

#include <string.h>

static const char *jstr(const json_t *o, const char *name, const char *fallback)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v && *v ? v : fallback;
}

/* "300 JPY", or "300 (minor units)" when the currency is not known. */
static const char *amount_text(int64_t v, const char *currency, char *buf, size_t len)
{
  char num[40];

  if (currency && currency_exponent(currency) >= 0)
    snprintf(buf, len, "%s %s", money_format(v, currency, num, sizeof num), currency);
  else
    snprintf(buf, len, "%lld (minor units)", (long long)v);
  return buf;
}

/* One money line of the slip, right-aligned like the sale's totals. */
static void money_line(FILE *out, const char *label, const json_t *v, const char *currency)
{
  char num[40];

  if (json_is_integer(v))
    fprintf(out, "%-30s %13s %s\n", label, money_format(json_integer_value(v), currency, num, sizeof num), currency);
}

/* The slip's heading: the kind's word and how it ended. */
static void heading(FILE *out, const json_t *refund)
{
  const char *status = jstr(refund, "status", "unknown");
  const char *word = strcmp(jstr(refund, "kind", ""), "void") == 0 ? "VOID" : "REFUND";

  if (strcmp(status, "completed") == 0)
    fprintf(out, "%s\n", word);
  else if (strcmp(status, "declined") == 0 || strcmp(status, "failed") == 0)
    fprintf(out, "%s %s\n", word, strcmp(status, "declined") == 0 ? "DECLINED" : "FAILED");
  else
    fprintf(out, "%s PENDING - check refund %s\n", word, jstr(refund, "id", "-"));
}

/* Why it did not complete, and what that means for the money. */
static void outcome_lines(FILE *out, const json_t *refund)
{
  const char *status = jstr(refund, "status", "unknown");
  const json_t *d = json_object_get(refund, "decline");

  if (strcmp(status, "declined") == 0) {
    fprintf(out, "DECLINED: %s", jstr(d, "reason", "no reason given"));
    if (jstr(d, "code", NULL))
      fprintf(out, " (code %s)", jstr(d, "code", ""));
    fprintf(out, "\nNothing was refunded.\n");
  } else if (strcmp(status, "failed") == 0) {
    fprintf(out, "FAILED: %s\n", jstr(json_object_get(refund, "failure"), "reason", "no reason given"));
    fprintf(out, "The card issuer never answered; this amount is not offered again.\n");
  } else if (strcmp(status, "completed") != 0) {
    fprintf(out, "The card issuer has not answered yet; the gateway sends the refund\n"
                 "again until it does.\n");
  }
}

void refund_receipt(FILE *out, const char *shop, const char *terminal, const json_t *refund, const json_t *txn)
{
  const char *currency = jstr(refund, "currency", jstr(txn, "currency", "JPY"));
  const char *kind = jstr(refund, "kind", "-");

  sale_rule(out, '=');
  fprintf(out, "%s\n", jstr(txn, "shop", shop && *shop ? shop : "-"));
  heading(out, refund);
  sale_rule(out, '-');
  fprintf(out, "Terminal      %s\n", terminal && *terminal ? terminal : "-");
  fprintf(out, "Transaction   %s\n", jstr(refund, "transaction", jstr(txn, "transaction", "-")));
  fprintf(out, "Refund ID     %s\n", jstr(refund, "id", "-"));
  fprintf(out, "Kind          %s%s\n", kind, strcmp(kind, "void") == 0 ? " (the whole payment, the same day)" : "");
  if (jstr(refund, "reason", NULL))
    fprintf(out, "Reason        %.60s\n", jstr(refund, "reason", ""));
  outcome_lines(out, refund);
  sale_rule(out, '-');
  money_line(out, "Amount", json_object_get(refund, "amount"), currency);
  money_line(out, "Refunded so far", json_object_get(txn, "refunded"), currency);
  money_line(out, "Refundable left", json_object_get(txn, "refundable"), currency);
  money_line(out, "Paid total", json_object_get(txn, "total"), currency);
  sale_rule(out, '-');
  fprintf(out, "Time          %s\n", jstr(refund, "completed_at", jstr(refund, "created_at", "-")));
  sale_rule(out, '=');
}

const char *refund_refusal_text(const char *number, int64_t amount, long http_status, const json_t *problem,
                                const json_t *txn, char *buf, size_t len)
{
  const char *code = jstr(problem, "code", "");
  const char *currency = jstr(txn, "currency", NULL);
  char a[64], b[64];

  if (strcmp(code, "refund_exceeds_refundable") == 0) {
    int64_t left = json_integer_value(json_object_get(problem, "refundable"));
    if (left <= 0)
      snprintf(buf, len, "nothing is left to refund on transaction %s: the whole payment is refunded or being refunded",
               number);
    else
      snprintf(buf, len, "only %s is left to refund on transaction %s, less than the %s asked",
               amount_text(left, currency, a, sizeof a), number, amount_text(amount, currency, b, sizeof b));
  } else if (strcmp(code, "wrong_state") == 0) {
    snprintf(buf, len, "transaction %s is %s: only a completed payment can be refunded", number,
             jstr(problem, "transaction_status", jstr(txn, "status", "not completed")));
  } else if (strcmp(code, "unknown_transaction") == 0) {
    snprintf(buf, len, "the gateway knows no transaction %s of this shop", number);
  } else if (strcmp(code, "idempotency_conflict") == 0) {
    snprintf(buf, len, "the gateway holds another request under this refund's key (idempotency_conflict)");
  } else if (*code) {
    snprintf(buf, len, "%s: %s", code, jstr(problem, "detail", "no detail given"));
  } else {
    snprintf(buf, len, "HTTP %ld", http_status);
  }
  return buf;
}

void refund_list(FILE *out, const json_t *list, const char *currency)
{
  const json_t *refunds = json_object_get(list, "refunds"), *r;
  size_t i;
  char a[64];

  if (!currency)
    currency = jstr(json_array_get(refunds, 0), "currency", NULL);
  fprintf(out, "Refunds of transaction %s:\n", jstr(list, "transaction", "-"));
  json_array_foreach (refunds, i, r) {
    fprintf(out, "  %-25s %-6s %18s  %-9s %s", jstr(r, "id", "-"), jstr(r, "kind", "-"),
            amount_text(json_integer_value(json_object_get(r, "amount")), currency, a, sizeof a),
            jstr(r, "status", "-"), jstr(r, "completed_at", jstr(r, "created_at", "-")));
    if (jstr(r, "reason", NULL))
      fprintf(out, "  %.40s", jstr(r, "reason", ""));
    fprintf(out, "\n");
  }
  if (json_array_size(refunds) == 0)
    fprintf(out, "  (none)\n");
  fprintf(out, "Refunded   %s\n",
          amount_text(json_integer_value(json_object_get(list, "refunded")), currency, a, sizeof a));
  fprintf(out, "Refundable %s\n",
          amount_text(json_integer_value(json_object_get(list, "refundable")), currency, a, sizeof a));
}
