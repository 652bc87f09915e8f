/* ranges_read.c — issuer_ranges_read: every card range, so enrolment finds
 * a card's issuer in its own process (the card number is never sent to the
 * database, not even in a WHERE clause). */
#include "credit-server/db/ops.h"

#include "common/log.h"

enum db_status issuer_ranges_read(struct db *db, struct card_range *out, int cap, int *n)
{
  static struct db_statement st = DB_STATEMENT(
      "issuer_ranges_read", DB_READ, 0, "SELECT low, high, issuer_code FROM issuer.card_ranges ORDER BY low, high");
  PGresult *res = NULL;

  *n = 0;
  enum db_status s = db_call(db, &st, NULL, &res);
  if (s >= 0 && PQntuples(res) > cap) {
    LOG_BUG("%d card ranges for room for %d", PQntuples(res), cap);
    s = DB_HARD_ERROR;
  } else if (s >= 0) {
    for (int i = 0; i < PQntuples(res); i++) {
      db_copy(res, i, "low", out[i].low);
      db_copy(res, i, "high", out[i].high);
      db_copy(res, i, "issuer_code", out[i].issuer_code);
    }
    *n = PQntuples(res);
  }
  if (res)
    PQclear(res);
  return s;
}
