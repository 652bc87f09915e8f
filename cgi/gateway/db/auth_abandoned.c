/* auth_abandoned.c — db_auth_abandoned: the authorizations a dead worker
 * left "sent" (recorded, maybe sent, no answer recorded), for the sweeper
 * to fail and reverse one by one with db_auth_fail. */
#include "gateway/db/sweeper.h"

#include <string.h>

void db_reversal_row_read(PGresult *res, int i, struct reversal_row *r)
{
  memset(r, 0, sizeof *r);
  db_copy(res, i, "transaction_id", r->txn_id);
  db_copy(res, i, "number", r->number);
  db_copy(res, i, "user_id", r->user_id);
  db_copy(res, i, "device_id", r->device_id);
  r->stan = (int)db_int64(res, i, "stan");
  db_copy(res, i, "transmission_time", r->transmission_time);
  db_copy(res, i, "terminal_code", r->terminal_code);
  r->total = db_int64(res, i, "total");
  db_copy(res, i, "currency", r->currency);
  db_copy(res, i, "merchant_code", r->merchant_code);
}

enum db_status db_auth_abandoned(struct db *db, long age_s, struct reversal_row rows[SWEEP_ABANDONED_MAX], int *n)
{
  static struct db_statement st =
      DB_STATEMENT("auth_abandoned", DB_READ, 1,
                   "SELECT a.transaction_id, a.user_id, a.stan, a.transmission_time, a.terminal_code,"
                   "       t.number, t.total, t.currency, t.device_id, m.code AS merchant_code"
                   "  FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id"
                   "  JOIN gateway.merchants m ON m.id = t.merchant_id"
                   " WHERE a.status = 'sent' AND a.created_at < now() - make_interval(secs => $1::double precision)"
                   " ORDER BY a.created_at LIMIT 20");
  struct db_params p;
  PGresult *res = NULL;

  *n = 0;
  db_params_init(&p);
  db_param_int64(&p, age_s);
  enum db_status s = db_call(db, &st, &p, &res);
  for (int i = 0; s > 0 && i < PQntuples(res) && i < SWEEP_ABANDONED_MAX; i++)
    db_reversal_row_read(res, i, &rows[(*n)++]);
  if (res)
    PQclear(res);
  return s;
}
