/* validate.h — paygw-admin's input rules, free of any database: identifier
 * and name shapes (mirroring the CHECKs of sql/0001_gateway_schema.sql),
 * payment methods and installment counts, card numbers, expiry, passwords.
 * Pure functions, so tests/unit/test_admin_validate.c covers them all. */
#ifndef PAYGW_ADMIN_VALIDATE_H
#define PAYGW_ADMIN_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/pan.h"

#define NAME_MAX_CHARS 80
#define LABEL_MAX_CHARS 40
#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_BYTES 256
#define INSTALLMENTS_MAX 13

/* ^[0-9A-Za-z]{1,16}$, an issuer code (fig 9). */
bool valid_issuer_code(const char *s);

/* ^[0-9]{1,15}$, a merchant code (fig 10). */
bool valid_merchant_code(const char *s);

/* ^[0-9A-Za-z_-]{1,32}$: terminal, subscriber, device and user IDs. */
bool valid_ident(const char *s);

/* ^[0-9A-Za-z_-]{1,8}$: a terminal's ISO 8583 terminal ID (field 41). */
bool valid_iso_terminal_id(const char *s);

/* 1..max_chars UTF-8 characters, valid UTF-8, no control characters. */
bool valid_text(const char *s, size_t max_chars);

/* A range bound: 1-19 digits (a card-number prefix). */
bool valid_range_bound(const char *s);

/* True when rpad(low,19,'0') <= rpad(high,19,'9'), the schema's rule. */
bool range_bounds_ordered(const char *low, const char *high);

/* True when the two prefix ranges share at least one 19-digit number. */
bool ranges_overlap(const char *low1, const char *high1, const char *low2, const char *high2);

/* A merchant's webhook URL (sql/0017's CHECK): at most 2000 characters,
 * no space or control character; https://HOST... without user or password,
 * or http://127.0.0.1 or http://localhost (an optional port, then the end
 * or "/...") for tests and the demo on one machine. */
#define WEBHOOK_URL_MAX_CHARS 2000
bool valid_webhook_url(const char *s);

/* Payment methods of figure 10. */
struct methods {
  bool lump_sum, installments, bonus, partial_bonus, revolving;
};

/* Parses "L,I,R" (commas or spaces between; tokens L I B pB R).  Returns 0,
 * or -1 with a message in err. */
int methods_parse(const char *text, struct methods *m, char *err, size_t errlen);

/* "L,I,R" style text of m into out. */
void methods_format(const struct methods *m, char *out, size_t outlen);

/* Parses "3,6,12" into counts (ascending, no duplicates) from the allowed set
 * 2 3 4 5 6 10 12 15 18 20 24 30 36.  Returns the number of counts, or -1
 * with a message in err. */
int installments_parse(const char *text, int counts[INSTALLMENTS_MAX], char *err, size_t errlen);

/* PostgreSQL array literal "{3,6,12}" of n counts into out. */
void installments_format(const int *counts, int n, char *out, size_t outlen);

enum pan_check { PAN_OK, PAN_EMPTY, PAN_NOT_DIGITS, PAN_BAD_LENGTH, PAN_BAD_LUHN };

/* Copies the card number in `line` to out without the spaces and dashes
 * people type between digit groups, and checks it.  Never echoes it. */
enum pan_check pan_normalize(const char *line, char out[PAN_MAX_LEN + 1]);

/* The message for a failed check (never containing the number). */
const char *pan_check_message(enum pan_check c);

enum expiry_check { EXPIRY_OK, EXPIRY_MALFORMED, EXPIRY_PASSED };

/* Checks a YYMM expiry against the time `now` (seconds since the epoch). */
enum expiry_check expiry_check(const char *yymm, long now);

/* Checks a handset password: PASSWORD_MIN_CHARS characters or more, valid
 * UTF-8, no control characters.  Returns NULL or the reason. */
const char *password_problem(const char *password);

/* Checks a web password (the HTML history's): as password_problem, and
 * WEB_PASSWORD_MIN_CHARS characters or more.  Returns NULL or the reason. */
#define WEB_PASSWORD_MIN_CHARS 12
const char *web_password_problem(const char *password);

/* Parses a positive decimal database id.  Returns true on success. */
bool parse_row_id(const char *s, long long *id);

/* Reads one line from `in` into buf, without its line ending.  Returns 0,
 * or -1 when there is no line or it does not fit.  The caller wipes buf. */
int read_line(FILE *in, char *buf, size_t len);

/* Reads a secret (card number, password) as read_line does from stdin.
 * When stdin is a terminal, question goes to stderr and what is typed is
 * not echoed; echo comes back after the line, and also on Ctrl-C, SIGTERM
 * and Ctrl-Z (lib/proxlink/prompt.c, as the handset's password prompt). */
int read_secret_line(const char *question, char *buf, size_t len);

#endif
