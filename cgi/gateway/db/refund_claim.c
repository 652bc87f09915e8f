/* refund_claim.c — db_refund_claim: the sweeper's next refund repeat
 * claimed in one round trip and a commit of its own before it is sent
 * (gateway.do_claim_refund, sql/0023), after giving up the ones pending
 * too long; the same pattern as db_auth_reversal_claim. */
#include "gateway/db/refund.h"
#include "common/log.h"

#include <stdio.h>
#include <string.h>

enum db_status db_refund_claim(struct db *db, const long *lease_ms, int n_leases, long give_up_s, char id[24],
                               long *gave_up)
{
  static struct db_statement st =
      DB_STATEMENT("refund_claim", DB_CHANGE, 2, "SELECT id, gave_up FROM gateway.do_claim_refund($1::bigint[], $2)");
  char leases[24 * 64 + 2] = "{";
  size_t used = 1;
  struct db_params p;
  PGresult *res = NULL;

  id[0] = '\0';
  *gave_up = 0;
  if (n_leases < 1 || n_leases > 64) {
    LOG_BUG("%d leases given, 1 to 64 expected", n_leases);
    return DB_HARD_ERROR;
  }
  for (int i = 0; i < n_leases; i++)
    used += (size_t)snprintf(leases + used, sizeof leases - used, "%s%ld", i ? "," : "", lease_ms[i]);
  snprintf(leases + used, sizeof leases - used, "}");
  db_params_init(&p);
  db_param_text(&p, leases);
  db_param_int64(&p, give_up_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    db_copy_at(res, 0, "id", id, 24, __FILE__, __LINE__);
    *gave_up = (long)db_int64(res, 0, "gave_up");
  } else if (s >= 0) {
    s = DB_HARD_ERROR; /* the function answers one row */
  }
  if (res)
    PQclear(res);
  return s;
}
