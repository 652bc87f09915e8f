/* sale.h — a POS sale: items parsed from the command line or a file, totals
 * in integer minor units (overflow checked), the display of figure 18, the
 * receipt, and the sales journal line (docs/pos.md).  Pure code: unit-tested
 * in tests/unit/test_pos_sale.c. */
#ifndef PAYGW_POS_SALE_H
#define PAYGW_POS_SALE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SALE_MAX_ITEMS 50
#define SALE_NAME_MAX 80
#define SALE_QTY_MAX 9999
#define SALE_PRICE_MAX 10000000000LL /* 10^10 minor units, as the gateway takes */
#define SALE_REFERENCE_MAX 64        /* characters, as the gateway takes */

struct sale_item {
  char name[SALE_NAME_MAX * 4 + 1];  /* UTF-8: up to 80 characters */
  int64_t quantity, unit_price, tax; /* tax for the whole line */
};

struct sale {
  char currency[4];
  char reference[SALE_REFERENCE_MAX * 4 + 1]; /* UTF-8: up to 64 characters */
  size_t n_items;
  struct sale_item items[SALE_MAX_ITEMS];
  int64_t subtotal, tax_total, total; /* total = subtotal + tax_total */
};

/* Starts an empty sale in currency (JPY, USD, EUR, GBP).  Returns 0 or -1. */
int sale_init(struct sale *s, const char *currency, char *err, size_t errlen);

/* Sets the sale's own reference: 1-64 characters of well-formed UTF-8, no
 * control characters.  Never cut: anything else is refused (0 or -1 with
 * err), so the request and the journal line always hold it whole. */
int sale_set_reference(struct sale *s, const char *reference, char *err, size_t errlen);

/* Adds "name,quantity,unit_price,tax" (the name may itself hold commas: the
 * last three fields are the numbers).  Returns 0 or -1 with err. */
int sale_add_item(struct sale *s, const char *spec, char *err, size_t errlen);

/* Adds every item line of a file: one item per line as above; blank lines
 * and lines starting with '#' are skipped.  Errors name the line. */
int sale_add_file(struct sale *s, FILE *f, const char *name, char *err, size_t errlen);

/* Computes subtotal, tax_total, total.  Returns 0, or -1 when there is no
 * item or a sum would exceed what the gateway takes. */
int sale_totals(struct sale *s, char *err, size_t errlen);

/* The body of POST /v1/transactions for user_id (new reference). */
json_t *sale_request_json(const struct sale *s, const char *user_id);

/* The items, a rule, subtotal, tax and total: the middle of the display
 * and of every slip; and a 48-character rule of c. */
void sale_lines(FILE *out, const struct sale *s);
void sale_rule(FILE *out, char c);

/* Figure 18: the sale as the POS display shows it. */
void sale_display(FILE *out, const struct sale *s, const char *shop);

/* True for a status the gateway never leaves: completed, declined, failed,
 * canceled, expired. */
bool sale_status_final(const char *status);

/* The receipt of a completed sale from the gateway's transaction answer
 * (GET /v1/transactions/{n}); or the decline / cancel / expiry / failure
 * slip; for a status that is not final "OUTCOME UNKNOWN - check transaction N". */
void sale_receipt(FILE *out, const struct sale *s, const char *shop, const json_t *txn);

/* One journal line (JSON, no newline; malloc'd): time, status, transaction,
 * reference, user, currency, totals, items, and what the gateway answered
 * (method, approval code, masked card, reason).  txn may be NULL. */
char *sale_journal_line(const struct sale *s, const char *when, const char *status, const char *user_id,
                        const json_t *txn, const char *reason);

#endif
