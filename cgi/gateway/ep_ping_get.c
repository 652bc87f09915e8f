/* ep_ping_get.c — GET /v1/ping: answers without any work (no database), so
 * the benchmark can measure what nginx + FastCGI alone cost. */
#include "gateway/endpoints.h"
#include "gateway/reply.h"

int ep_ping_get(struct request *rq)
{
  return reply_raw_json(rq, 200, "{\"pong\":true}");
}
