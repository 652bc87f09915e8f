/* credit.h — the credit server's model: an authorization request as read
 * from a 0100, the issuer's view of the account and merchant, and the pure
 * decision between them (decide.c).  The database side is in db.h. */
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
  char transmission_time[11];   /* field 7 */
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

#endif
