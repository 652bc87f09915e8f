/* post_checks.c — see post_checks.h. */
#include "gateway/post_checks.h"
#include "gateway/money.h"
#include "gateway/reply.h"
#include "gateway/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int idempotency_key_read(struct request *rq, bool required, const char **key)
{
  *key = request_header(rq, "HTTP_IDEMPOTENCY_KEY");
  if (!*key && !required)
    return 0;
  if (!*key || !token_is_code(*key, 64)) {
    CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "Idempotency-Key %s1-64 of [A-Za-z0-9_-]",
                 required ? "is required: " : "must be ");
    return -1;
  }
  return 0;
}

void idempotency_request_hash(const char *what, const json_t *body, char out[65])
{
  char *canonical = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
  size_t n = (canonical ? strlen(canonical) : 0) + (what ? strlen(what) : 0) + 2;
  char *text = malloc(n);

  if (text) {
    snprintf(text, n, "%s%s%s", what ? what : "", what ? "\n" : "", canonical ? canonical : "");
    token_sha256_hex(text, out);
  } else {
    token_sha256_hex("", out);
  }
  free(text);
  free(canonical);
}

int sale_body_check(struct request *rq, const struct transaction_body *in, int64_t *total, int64_t *tax_total)
{
  if (!currency_by_alpha(in->currency)) {
    CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "currency: not taken here (JPY, USD, EUR, GBP)");
    return -1;
  }
  if (items_total(in->items, in->n_items, total, tax_total) != 0) {
    CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "items: the total is over the limit (%s minor units)",
                 MONEY_MAX_TOTAL_TEXT);
    return -1;
  }
  if (*total == 0) {
    CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "items: the total must be more than 0");
    return -1;
  }
  return 0;
}
