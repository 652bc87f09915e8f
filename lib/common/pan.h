/* pan.h — card-number (PAN) checks and masking.  One masking rule for every
 * place a card number is shown (PCI DSS 3.4.1): at most the first 6 and the
 * last 4 digits, never fewer than PAN_MASK_MIN_HIDDEN hidden — so a card of
 * 16 digits or more shows its first 6 and last 4, a shorter one its last 4
 * only. */
#ifndef PAYGW_PAN_H
#define PAYGW_PAN_H

#include <stdbool.h>
#include <stddef.h>

#define PAN_MIN_LEN 12
#define PAN_MAX_LEN 19
#define PAN_MASK_MIN_HIDDEN 6

/* True when `pan` is 12-19 ASCII digits with a valid Luhn check digit. */
bool pan_is_valid(const char *pan);

/* True when every character of s is a digit and s is non-empty. */
bool str_is_digits(const char *s);

/* Writes pan masked by the rule above into out (>= PAN_MAX_LEN + 1 bytes):
 * "152500******5678" for 16 digits, "**********1234" for 14.  pan may be a
 * masked number already ('*' in place of digits): masking it again applies
 * the rule to what it shows, so a mask made by an older rule is corrected.
 * Anything but PAN_MIN_LEN..PAN_MAX_LEN digits or '*' (or an out too small)
 * gives "****". */
void pan_mask(const char *pan, char *out, size_t outlen);

/* True when shown is a mask that pan_mask leaves as it is: 12-19 digits or
 * '*', showing no digit the rule hides.  False for a clear card number. */
bool pan_mask_conforms(const char *shown);

/* The length of the run of digits at the start of s, single spaces or
 * dashes between digits counting as part of it ("1525 0000 1234 5678");
 * *digits receives how many digits it holds (0 when s starts otherwise).
 * The run a card number typed by a person takes. */
size_t pan_digit_run(const char *s, size_t *digits);

/* Masks in place, with '*', the digits of every run of PAN_MIN_LEN or more
 * digits in s (single spaces or dashes between digits count as part of the
 * run: "1525 0000 1234 5678") that is not part of a word (a letter just
 * before or after it: a hex request ID, a transaction number).  Applied to every problem detail and log
 * line, so that a card number typed into the wrong field (a user ID, a
 * price, a path) is never sent back or written down.  Returns s. */
char *pan_scrub(char *s);

/* True when `yymm` is a valid card expiry (4 digits, month 01-12). */
bool expiry_is_wellformed(const char *yymm);

/* True when a YYMM expiry is before the month of `now` (cards are valid
 * through the last day of their expiry month). */
bool expiry_has_passed(const char *yymm, long now);

#endif
