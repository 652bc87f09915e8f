/* ranges_all.c — adb_ranges_all: every card-number range with its
 * issuer's code, for range add's overlap check. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

void adb_ranges_free(struct adb_ranges *r)
{
  free(r->rows);
  memset(r, 0, sizeof *r);
}

enum db_status adb_ranges_all(struct db *db, struct adb_ranges *out)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_ranges_all", DB_READ, 0,
      "SELECT r.low, r.high, i.code FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id "
      "ORDER BY r.id");
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  enum db_status s = db_call(db, &st, NULL, &res);
  if (s > 0) {
    int n = PQntuples(res);
    if (!(out->rows = calloc((size_t)n, sizeof *out->rows))) {
      s = DB_HARD_ERROR;
    } else {
      out->n = n;
      for (int i = 0; i < n; i++) {
        db_copy(res, i, "low", out->rows[i].low);
        db_copy(res, i, "high", out->rows[i].high);
        db_copy(res, i, "code", out->rows[i].issuer_code);
      }
    }
  }
  if (res)
    PQclear(res);
  return s;
}
