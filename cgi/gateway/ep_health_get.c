/* ep_health_get.c — GET /v1/health: is this worker able to reach the
 * database?  200 when it is, 503 when it is not (nginx and monitors use it). */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"

#include <unistd.h>

int ep_health_get(struct request *rq)
{
  bool db_up = db_health_ping(rq->db) >= 0;

  return reply_json(rq, db_up ? 200 : 503,
                    json_pack("{s:s, s:s, s:i}", "status", db_up ? "ok" : "degraded", "database",
                              db_up ? "reachable" : "unreachable", "worker_pid", (int)getpid()));
}
