/* auth_reversal_claim.c — db_auth_reversal_claim: the sweeper's next
 * reversal claimed in one round trip and a commit of its own before it is
 * sent (gateway.do_claim_reversal, sql/0016), so neither a second sweeper
 * nor this one after a crash sends it again before its time. */
#include "gateway/db/sweeper.h"
#include "common/log.h"

#include <stdio.h>
#include <string.h>

/* The leases as a bigint[] literal: "{3000,4000,...}". */
static void leases_text(const long *lease_ms, int n, char *out, size_t cap)
{
  size_t used = 0;

  out[0] = '\0';
  for (int i = 0; i < n && used < cap; i++)
    used += (size_t)snprintf(out + used, cap - used, "%s%ld", i ? "," : "{", lease_ms[i]);
  if (used < cap)
    snprintf(out + used, cap - used, "}");
}

enum db_status db_auth_reversal_claim(struct db *db, const long *lease_ms, int n_leases, struct reversal_row *out)
{
  static struct db_statement st = DB_STATEMENT(
      "auth_reversal_claim", DB_CHANGE, 1,
      "SELECT transaction_id, user_id, stan, transmission_time, terminal_code, attempt, number, total, currency,"
      "       device_id, merchant_code FROM gateway.do_claim_reversal($1::bigint[])");
  char leases[24 * SWEEP_LEASES_MAX];
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  if (n_leases < 1 || n_leases > SWEEP_LEASES_MAX) {
    LOG_BUG("%d leases given, 1 to %d expected", n_leases, SWEEP_LEASES_MAX);
    return DB_HARD_ERROR;
  }
  leases_text(lease_ms, n_leases, leases, sizeof leases);
  db_params_init(&p);
  db_param_text(&p, leases);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    db_reversal_row_read(res, 0, out);
    out->attempt = (int)db_int64(res, 0, "attempt");
  }
  if (res)
    PQclear(res);
  return s;
}
