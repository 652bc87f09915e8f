/* credit.h — the credit server's model: an authorization request as read
 * from a 0100, the issuer's view of the account and merchant, the pure
 * decision between them (decide.c), and what makes two 0100s the same
 * (duplicate.c).  The database side is in db.h. */
#ifndef PAYGW_CREDIT_H
#define PAYGW_CREDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iso8583/iso8583.h"

/* A 0100, checked and with its padding removed. */
struct credit_request {
  char pan[20];
  char expiry[5];               /* field 14, YYMM */
  int64_t amount;               /* field 4, minor units, > 0 */
  char currency[4];             /* field 49 */
  char stan[7];                 /* field 11 */
  char transmission_time[11];   /* field 7, MMDDhhmmss UTC */
  long transmitted_at;          /* field 7 as a full time (credit_transmission_instant), 0 until set */
  char terminal_id[9];          /* field 41, trailing spaces removed */
  char merchant_code[16];       /* field 42, trailing spaces removed */
  char method[3];               /* from field 48: L I B pB R */
  int installments;
};

/* The card account as the issuer holds it (figure 24B), or found = false. */
struct credit_account {
  bool found;
  int64_t id;
  char issuer_code[17];
  char expiry[5];
  int64_t credit_limit, balance;
  char currency[4];
  bool blocked;
};

/* The merchant (figure 24A) and its methods for the card's issuer. */
struct credit_merchant {
  bool found, disabled;
  bool has_methods;             /* a row for (merchant, card issuer) exists */
  char methods[5][3];           /* up to five of L I B pB R */
  int method_count;
  int installment_counts[16];
  int installment_count_n;
};

/* Reads and checks the fields of a 0100.  Returns true, or false with the
 * failing field number in *bad_field (for the log; 0 when not a field). */
bool credit_request_parse(const struct iso_msg *msg, struct credit_request *rq, int *bad_field);

/* The decision of figure 24B's checks, in this order: unknown card 14,
 * expired (issuer's expiry passed at `now`, or field 14 differs) 54,
 * blocked account or field 49 not the account's currency 05, merchant
 * unknown or disabled 03, method not allowed for the merchant and the
 * card's issuer 57, over the limit 51, else 00 (docs/credit-server.md).  Returns one of the ISO_RC_* strings. */
const char *credit_decide(const struct credit_request *rq, const struct credit_account *acct,
                          const struct credit_merchant *merchant, long now);

/* True when method/installments is one of the merchant's allowed methods. */
bool credit_method_allowed(const struct credit_merchant *m, const char *method, int installments);

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

/* What the issuer holds under a key: the first 0100, or the void row a
 * reversal left when it came first. */
struct credit_stored {
  char card_hash[65];           /* its lookup hash (hex); "" when the row has none (void rows) */
  int64_t amount;
  char merchant_code[16];
  char currency[4];
};

enum {
  CREDIT_DIFF_CARD = 1,
  CREDIT_DIFF_AMOUNT = 2,
  CREDIT_DIFF_MERCHANT = 4,
  CREDIT_DIFF_CURRENCY = 8,
};

/* Which of card (compared by lookup hash, card_hash being rq's), amount,
 * merchant and currency of rq differ from what the key's row holds: a mask
 * of CREDIT_DIFF_*, 0 when rq is the stored request sent again. */
unsigned credit_duplicate_differs(const struct credit_stored *s, const struct credit_request *rq,
                                  const char *card_hash);

/* "card amount merchant currency" (the differing ones) for the log. */
void credit_differs_text(unsigned differs, char *out, size_t cap);

#endif
