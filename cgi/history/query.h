/* query.h — the query of the list and the CSV (GET /history/transactions
 * and /history/transactions.csv, docs/history.md): a date range, a status
 * and a keyset cursor, checked here as pure functions so that a bad value
 * is a 400 page and never reaches SQL.
 *
 * The cursor is the position of a row in the list's order (created_at
 * DESC, id DESC): the row's created_at in microseconds since 1970 and its
 * id, written "US.ID" and base64url-encoded so that nobody is tempted to
 * edit it.  It is not secret and needs no signature: every statement also
 * filters on the signed-in user, so a forged cursor only moves within
 * that user's own transactions. */
#ifndef HISTORY_QUERY_H
#define HISTORY_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HISTORY_PAGE_SIZE 20
#define HISTORY_CURSOR_MAX 56 /* encoded, with the NUL: "US.ID" of at most 37 characters is 50 */

struct history_cursor {
  int64_t us; /* created_at, microseconds since 1970-01-01 UTC, >= 0 */
  int64_t id; /* gateway.transactions.id, > 0 */
};

enum history_direction {
  HISTORY_FIRST, /* the newest page */
  HISTORY_OLDER, /* ?after=CURSOR: the rows after it in the list (older) */
  HISTORY_NEWER  /* ?before=CURSOR: the rows before it (newer) */
};

struct history_query {
  char from[11], to[11]; /* YYYY-MM-DD, inclusive, UTC; "" for no limit */
  char status[24];       /* one of history_statuses, "" for every status */
  enum history_direction direction;
  struct history_cursor cursor; /* for HISTORY_OLDER and HISTORY_NEWER */
};

/* The gateway's transaction statuses (sql/0003_transactions.sql), NULL-ended. */
extern const char *const history_statuses[];

/* Writes c as its opaque text into out (HISTORY_CURSOR_MAX bytes). */
void history_cursor_encode(const struct history_cursor *c, char out[HISTORY_CURSOR_MAX]);

/* Reads a cursor text: 0, or -1 for anything history_cursor_encode would
 * not have written (bad base64url, not "US.ID", out of range). */
int history_cursor_decode(const char *text, struct history_cursor *c);

/* True for a real calendar date written YYYY-MM-DD (years 1000–9999). */
bool history_date_valid(const char *text);

/* Microseconds from 1970-01-01 00:00 UTC to the start of the day
 * `date` (valid YYYY-MM-DD, history_date_valid) plus plus_days days, in
 * the proleptic Gregorian calendar; negative before 1970. */
int64_t history_day_start_us(const char *date, int plus_days);

/* Parses a raw query string (not yet decoded: "from=2026-01-01&status=").
 * Empty values mean "no limit"; unknown names are ignored; a name given
 * twice, a bad date, from after to, an unknown status, a bad cursor, or
 * both after and before are refused: -1 with a message for the 400 page
 * in err (naming the field, never echoing more than a short value).
 * 0 when q is filled. */
int history_query_parse(const char *raw, struct history_query *q, char *err, size_t errlen);

/* The query string of q's filter (from, to, status: only the set ones),
 * with "after=" or "before=" and the cursor appended when c is not NULL
 * (direction HISTORY_OLDER or HISTORY_NEWER).  Every value is of
 * characters that need no escaping.  "" when nothing is set. */
void history_query_link(const struct history_query *q, enum history_direction dir, const struct history_cursor *c,
                        char *out, size_t cap);

#endif
