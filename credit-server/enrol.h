/* enrol.h — the credit server's enrolment modes: the demo data set of
 * lib/common/demo_data.h, one card account, one merchant.  Each runs as one
 * transaction on PAYGW_ISSUER_DB_URI and is idempotent. */
#ifndef PAYGW_CREDIT_ENROL_H
#define PAYGW_CREDIT_ENROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct card_range;

struct enrol_account {
  const char *pan; /* read from stdin, never from the command line */
  const char *expiry, *holder, *address, *currency;
  int64_t credit_limit;
};

struct enrol_merchant {
  const char *merchant_code, *credit_code, *name, *status;
  const char *issuer_code, *methods, *installments; /* "L I R", "3 6 12" */
};

/* Each returns 0, or -1 with the reason logged.  enrol_account prints
 * "account <id>" on stdout. */
int enrol_demo(const char *uri);
int enrol_account_run(const char *uri, const struct enrol_account *a);
int enrol_merchant_run(const char *uri, const struct enrol_merchant *m);

/* The issuer of pan among n ranges whose bounds are prefixes (low padded
 * with 0s, high with 9s, to 19 digits); the longest low bound wins.  Pure,
 * for the unit tests.  False when no range holds it. */
bool enrol_issuer_for_pan(const struct card_range *ranges, int n, const char *pan, char *out, size_t cap);

#endif
