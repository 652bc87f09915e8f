/* money_text.h — the currencies paygw takes and their amounts as text: the
 * one table (ISO 4217 alphabetic code → numeric code → exponent) and the one
 * formatter of integer minor units, shared by the gateway, the shop, the
 * history pages, the POS and the handset.  Pure integer arithmetic, never
 * floating point; a currency outside the table is refused, never guessed. */
#ifndef PAYGW_COMMON_MONEY_TEXT_H
#define PAYGW_COMMON_MONEY_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct currency {
  const char *alpha;   /* ISO 4217 "JPY" */
  const char *numeric; /* ISO 4217 "392", for ISO 8583 field 49 */
  int exponent;        /* minor units per major unit as a power of ten */
};

/* The currency by its alphabetic code (exact, capitals), or NULL when paygw
 * does not take it (or alpha is NULL). */
const struct currency *currency_by_alpha(const char *alpha);

/* Digits after the decimal point (JPY 0, USD/EUR/GBP 2); -1 for a currency
 * paygw does not take. */
int currency_exponent(const char *alpha);

/* minor in major units with the currency's decimals, no grouping: "3456"
 * (3456 JPY), "12.34" (1234 USD), "-0.05".  For machines (the CSV).
 * 0; -1 for an unknown currency or when out is too small ("" then). */
int money_text_plain(int64_t minor, const char *alpha, char *out, size_t cap);

/* The same with the whole part grouped by commas, for people: "3,456" (JPY),
 * "1,234.56" (USD).  0 or -1 as money_text_plain.  The caller adds the
 * code ("3,456 JPY") where its layout wants it. */
int money_text_display(int64_t minor, const char *alpha, char *out, size_t cap);

#endif
