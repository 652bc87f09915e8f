/* idem_forget.c — db_idem_forget: merchants' Idempotency-Key values are kept
 * at least 24 h (docs/api.md); the sweeper forgets them after 48. */
#include "gateway/db/sweeper.h"

enum db_status db_idem_forget(struct db *db)
{
  static struct db_statement st =
      DB_STATEMENT("idem_forget", DB_REPEATABLE, 0,
                   "DELETE FROM gateway.idempotency_keys WHERE created_at < now() - interval '48 hours'");
  PGresult *res = NULL;
  enum db_status s = db_call(db, &st, NULL, &res);

  if (res)
    PQclear(res);
  return s;
}
