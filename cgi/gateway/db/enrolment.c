/* enrolment.c — reading the enrolment tables (figs 7-10) during a payment. */
#include "gateway/db/queries.h"

/* All active ranges: matched in the worker, so no card number is ever a
 * query parameter. */
struct db_statement q_issuer_ranges = DB_STATEMENT("issuer_ranges", DB_READ, 0,
  "SELECT r.low, r.high, r.issuer_id FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id"
  " WHERE i.status = 'active'");
