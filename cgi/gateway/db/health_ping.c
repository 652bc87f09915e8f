/* health_ping.c — the database round trip behind GET /v1/health. */
#include "gateway/db/queries.h"

static struct db_statement health_ping = DB_STATEMENT("health_ping", DB_READ, 0, "SELECT 1");

enum db_status db_health_ping(struct db *db)
{
  PGresult *res;
  enum db_status status = db_call(db, &health_ping, NULL, &res);
  if (status >= 0)
    PQclear(res);
  return status;
}
