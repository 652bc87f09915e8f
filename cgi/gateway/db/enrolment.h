/* enrolment.h — the typed operations reading the enrolment tables (figs
 * 7-10) for a payment that are not part of a request's one call: the
 * issuers' card-number ranges (issuer_ranges.c), which the worker keeps in
 * its cache (cache.c) and matches in C, so no card number is ever a query
 * parameter. */
#ifndef PAYGW_DB_ENROLMENT_H
#define PAYGW_DB_ENROLMENT_H

#include "db/db.h"

#include <stdint.h>

/* One range of fig 9: bounds are card-number prefixes (up to 19 digits). */
struct issuer_range {
  char low[20], high[20];
  int64_t issuer_id;
};

/* All ranges of active issuers into *rows (malloc'd, the caller frees;
 * NULL for none), *n of them.  DB_ROWS, DB_ONE_ROW, DB_NO_ROWS or an
 * error (then *rows is NULL). */
enum db_status db_issuer_ranges(struct db *db, struct issuer_range **rows, int *n);

#endif
