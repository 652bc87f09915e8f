/* merchant_webhook_show.c — adb_merchant_webhook_show: a merchant's
 * webhook as `merchant webhook show` prints it: URL, when the secret was
 * made (never the secret), the events by status and the last failure. */
#include "ops.h"

#include <string.h>

enum db_status adb_merchant_webhook_show(struct db *db, int64_t merchant_id, struct merchant_webhook *out)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_merchant_webhook_show", DB_READ, 1,
      "SELECT m.webhook_url, m.webhook_secret IS NOT NULL AS has_secret, m.webhook_secret_key_id AS key_id,"
      "       to_char(m.webhook_secret_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS secret_at,"
      "       (SELECT count(*) FROM gateway.webhook_events e WHERE e.merchant_id = m.id AND e.status = 'pending')"
      "         AS pending,"
      "       (SELECT count(*) FROM gateway.webhook_events e WHERE e.merchant_id = m.id AND e.status = 'delivered')"
      "         AS delivered,"
      "       (SELECT count(*) FROM gateway.webhook_events e WHERE e.merchant_id = m.id AND e.status = 'failed')"
      "         AS failed,"
      "       f.last_error AS last_failure,"
      "       to_char(f.last_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS last_failure_at"
      "  FROM gateway.merchants m"
      "  LEFT JOIN LATERAL (SELECT e.last_error, e.last_attempt_at FROM gateway.webhook_events e"
      "                      WHERE e.merchant_id = m.id AND e.last_error IS NOT NULL"
      "                      ORDER BY e.last_attempt_at DESC LIMIT 1) f ON true"
      " WHERE m.id = $1");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_int64(&p, merchant_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    db_copy(res, 0, "webhook_url", out->url);
    out->has_secret = db_bool(res, 0, "has_secret");
    out->key_id = db_null(res, 0, "key_id") ? 0 : (int)db_int64(res, 0, "key_id");
    db_copy(res, 0, "secret_at", out->secret_at);
    out->pending = db_int64(res, 0, "pending");
    out->delivered = db_int64(res, 0, "delivered");
    out->failed = db_int64(res, 0, "failed");
    db_copy(res, 0, "last_failure", out->last_failure);
    db_copy(res, 0, "last_failure_at", out->last_failure_at);
  }
  if (res)
    PQclear(res);
  return s;
}
