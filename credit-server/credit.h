/* credit.h — the credit server's model: an authorization request as read
 * from a 0100 (request.c), a reversal as read from a 0400/0401, what the
 * issuer answers them, and what makes two 0100s the same (duplicate.c).
 * The decision itself is issuer.decide in sql/0012, run inside the one
 * statement an authorization costs (credit-server/db/). */
#ifndef PAYGW_CREDIT_H
#define PAYGW_CREDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iso8583/iso8583.h"

/* A 0100, checked and with its padding removed. */
struct credit_request {
  char pan[20];
  char expiry[5];             /* field 14, YYMM */
  int64_t amount;             /* field 4, minor units, > 0 */
  char currency[4];           /* field 49 */
  char stan[7];               /* field 11 */
  char transmission_time[11]; /* field 7, MMDDhhmmss UTC */
  long transmitted_at;        /* field 7 as a full time (credit_transmission_instant), 0 until set */
  char terminal_id[9];        /* field 41, trailing spaces removed */
  char merchant_code[16];     /* field 42, trailing spaces removed */
  char method[3];             /* from field 48: L I B pB R */
  int installments;
};

/* The outcome of a 0100 as answered (new, or the first answer again). */
struct authorize_result {
  char response_code[3];
  char approval_code[7]; /* "" unless approved */
  bool duplicate;        /* the same STAN, terminal and time was seen before */
  unsigned differs;      /* a key match that is another request (CREDIT_DIFF_*): answered 94 */
  bool charged;          /* this call moved the balance */
};

/* The key of the original 0100 as in field 90, and the reversal's fields. */
struct reversal_request {
  char stan[7], transmission_time[11], terminal_id[9];
  long transmitted_at; /* the original's field 7 as a full time */
  char merchant_code[16], currency[4];
  int64_t amount;
};

enum reversal_outcome {
  REVERSAL_UNDONE,    /* an approved authorization was undone now: 00 */
  REVERSAL_ALREADY,   /* already reversed, or was declined: 00, nothing to undo */
  REVERSAL_NOT_FOUND, /* never seen: recorded void so a late original is refused: 25 */
};

/* Reads and checks the fields of a 0100.  Returns true, or false with the
 * failing field number in *bad_field (for the log; 0 when not a field). */
bool credit_request_parse(const struct iso_msg *msg, struct credit_request *rq, int *bad_field);

/* Fills out[7] with a random approval code (6 of 0-9A-Z).  Returns 0 or -1. */
int credit_approval_code(char out[7]);

/* Copies src without trailing spaces into dst (cap bytes). */
void credit_rtrim_copy(char *dst, size_t cap, const char *src);

/* --- duplicate.c: the key and the duplicate check --------------------------- */

/* Field 7 (MMDDhhmmss, UTC, no year) as a point in time: in the year, of
 * last, this and next year at `now`, that puts it nearest to now — so a
 * 0100 sent at 23:59:59 on 31 December and read after midnight keeps its
 * year, and one sent just after midnight read by a clock still in the old
 * year gets the new one.  Returns 0 with *out (seconds since the epoch), or
 * -1 when field 7 is no date and time (month 13, 31 April, hour 24, ...) or
 * lies more than half a year from now (29 February far from a leap year). */
int credit_transmission_instant(const char *field7, long now, long *out);

/* "YYYY-MM-DD hh:mm:ss+00" of t, for a timestamptz parameter. */
#define CREDIT_TIMESTAMP_LEN 26
void credit_timestamp_text(long t, char out[CREDIT_TIMESTAMP_LEN]);

/* What differs between a 0100 and the request its key already holds, as
 * issuer.do_authorize (sql/0012) reports it: the same bits. */
enum {
  CREDIT_DIFF_CARD = 1,
  CREDIT_DIFF_AMOUNT = 2,
  CREDIT_DIFF_MERCHANT = 4,
  CREDIT_DIFF_CURRENCY = 8,
};

/* "card amount merchant currency" (the differing ones) for the log. */
void credit_differs_text(unsigned differs, char *out, size_t cap);

#endif
