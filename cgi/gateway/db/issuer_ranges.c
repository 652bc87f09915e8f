/* issuer_ranges.c — db_issuer_ranges: every active issuer's card-number
 * ranges (fig 9), read whole for the worker's cache. */
#include "gateway/db/enrolment.h"

#include <stdlib.h>

enum db_status db_issuer_ranges(struct db *db, struct issuer_range **rows, int *n)
{
  static struct db_statement st = DB_STATEMENT(
      "issuer_ranges", DB_READ, 0,
      "SELECT r.low, r.high, r.issuer_id FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id"
      " WHERE i.status = 'active'");
  PGresult *res = NULL;
  enum db_status s = db_call(db, &st, NULL, &res);

  *rows = NULL;
  *n = 0;
  if (s > 0 && !(*rows = calloc((size_t)PQntuples(res), sizeof **rows)))
    s = DB_HARD_ERROR;
  for (int i = 0; s > 0 && i < PQntuples(res); i++) {
    db_copy(res, i, "low", (*rows)[i].low);
    db_copy(res, i, "high", (*rows)[i].high);
    (*rows)[i].issuer_id = db_int64(res, i, "issuer_id");
    (*n)++;
  }
  if (res)
    PQclear(res);
  return s;
}
