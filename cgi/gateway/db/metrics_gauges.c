/* metrics_gauges.c — db_metrics_gauges: what is pending, for GET /metrics,
 * in one statement (each count on a partial index of its table: the
 * pending rows only). */
#include "gateway/db/queries.h"
#include "gateway/metrics.h"

static struct db_statement metrics_gauges = DB_STATEMENT(
    "metrics_gauges", DB_READ, 0,
    "SELECT (SELECT count(*) FROM gateway.authorizations WHERE status = 'sent')::bigint AS authorizations_pending,"
    "       (SELECT count(*) FROM gateway.authorizations WHERE status = 'reversal_pending')::bigint"
    "         AS reversals_pending,"
    "       (SELECT count(*) FROM gateway.refunds WHERE status = 'pending')::bigint AS refunds_pending,"
    "       w.depth::bigint AS webhooks_pending,"
    "       COALESCE(floor(extract(epoch FROM now() - w.oldest) * 1000), 0)::bigint AS webhook_oldest_ms"
    "  FROM (SELECT count(*) AS depth, min(created_at) AS oldest"
    "          FROM gateway.webhook_events WHERE status = 'pending') w");

enum db_status db_metrics_gauges(struct db *db, struct metrics_gauges *out)
{
  PGresult *res = NULL;
  enum db_status status = db_call(db, &metrics_gauges, NULL, &res);

  if (status == DB_ONE_ROW) {
    out->authorizations_pending = db_int64(res, 0, "authorizations_pending");
    out->reversals_pending = db_int64(res, 0, "reversals_pending");
    out->refunds_pending = db_int64(res, 0, "refunds_pending");
    out->webhooks_pending = db_int64(res, 0, "webhooks_pending");
    out->webhook_oldest_ms = db_int64(res, 0, "webhook_oldest_ms");
  } else if (status >= 0)
    status = DB_HARD_ERROR; /* one row, always */
  if (res)
    PQclear(res);
  return status;
}
