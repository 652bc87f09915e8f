/* pan.h — card-number (PAN) checks and masking.  A masked PAN shows at most
 * the first 6 and last 4 digits (PCI DSS). */
#ifndef PAYGW_PAN_H
#define PAYGW_PAN_H

#include <stdbool.h>
#include <stddef.h>

#define PAN_MIN_LEN 12
#define PAN_MAX_LEN 19

/* True when `pan` is 12-19 ASCII digits with a valid Luhn check digit. */
bool pan_is_valid(const char *pan);

/* True when every character of s is a digit and s is non-empty. */
bool str_is_digits(const char *s);

/* Writes "152500******5678" style mask into out (>= PAN_MAX_LEN + 1 bytes). */
void pan_mask(const char *pan, char *out, size_t outlen);

/* True when `yymm` is a valid card expiry (4 digits, month 01-12). */
bool expiry_is_wellformed(const char *yymm);

/* True when a YYMM expiry is before the month of `now` (cards are valid
 * through the last day of their expiry month). */
bool expiry_has_passed(const char *yymm, long now);

#endif
