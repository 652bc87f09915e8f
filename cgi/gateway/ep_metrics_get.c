/* ep_metrics_get.c — GET /metrics: the gateway's metrics in the Prometheus
 * text format (docs/metrics.md), summed over every worker and the sweeper
 * (metrics.c), with the pending counts read from the database now.  nginx
 * lets only local addresses reach it; with PAYGW_METRICS_TOKEN set, a
 * bearer token is wanted too. */
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/metrics.h"
#include "gateway/reply.h"

int ep_metrics_get(struct request *rq)
{
  struct metrics_gauges gauges;
  struct prom_text t = { 0 };
  int status;

  if (!metrics_token_ok(request_header(rq, "HTTP_AUTHORIZATION"))) {
    reply_add_header(rq, "WWW-Authenticate: Bearer realm=\"paygw metrics\"");
    return CLIENT_FAULT(rq, PROBLEM_UNAUTHENTICATED, "the metrics need the bearer token PAYGW_METRICS_TOKEN sets");
  }
  bool db_ok = db_metrics_gauges(rq->db, &gauges) == DB_ONE_ROW;
  metrics_render(&t, db_ok ? &gauges : NULL);
  if (t.failed || !t.text)
    status = BUG(rq, "out of memory rendering the metrics");
  else
    status = reply_text(rq, 200, PROM_CONTENT_TYPE, t.text);
  prom_text_free(&t);
  return status;
}
