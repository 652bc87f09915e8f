/* amount.h — an amount of money as text, from integer minor units and the
 * currency's number of decimals (ISO 4217's minor unit: 0 for JPY, 2 for
 * USD, 3 for BHD).  Pure integer arithmetic: never floating point. */
#ifndef PAYGW_WEB_AMOUNT_H
#define PAYGW_WEB_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

/* The digits after the decimal point of currency (three capital letters):
 * 0, 2 or 3; 2 for a code the table does not list (most currencies). */
int amount_decimals(const char *currency);

/* minor in major units with the currency's decimals, no grouping: "1234"
 * (1234 JPY), "12.34" (1234 USD), "-0.05", "1.000" (1000 BHD).  For a
 * machine (the CSV).  0, or -1 when out is too small ("" then). */
int amount_plain(int64_t minor, const char *currency, char *out, size_t cap);

/* The same with the whole part grouped by commas, for people:
 * "1,234,567" (JPY), "12,345.67" (USD).  0 or -1. */
int amount_display(int64_t minor, const char *currency, char *out, size_t cap);

#endif
