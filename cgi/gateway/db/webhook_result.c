/* webhook_result.c — db_webhook_result: what came of one webhook attempt
 * (gateway.do_webhook_result, sql/0017): delivered, put off by the
 * back-off, or given up once PAYGW_WEBHOOK_RETRY_FOR_S has passed. */
#include "gateway/db/webhook.h"

static const char *const outcomes[] = {
  [WEBHOOK_DELIVERED] = "delivered",
  [WEBHOOK_RETRY] = "retry",
  [WEBHOOK_GAVE_UP] = "gave_up",
  [WEBHOOK_STALE] = "stale",
};

enum db_status db_webhook_result(struct db *db, const struct webhook_result_in *in, enum webhook_outcome *outcome)
{
  static struct db_statement st = DB_STATEMENT(
      "webhook_result", DB_REPEATABLE, 7,
      "SELECT outcome FROM gateway.do_webhook_result($1::bigint, $2::integer, $3::boolean, $4::integer, $5,"
      "                                              $6::bigint, $7::bigint)");
  struct db_params p;
  PGresult *res = NULL;
  int word = WEBHOOK_STALE;

  db_params_init(&p);
  db_param_int64(&p, in->id);
  db_param_int64(&p, in->attempt);
  db_param_bool(&p, in->delivered);
  if (in->http_status > 0)
    db_param_int64(&p, in->http_status);
  else
    db_param_text(&p, NULL);
  db_param_text(&p, in->delivered ? NULL : in->error);
  db_param_int64(&p, in->retry_ms);
  db_param_int64(&p, in->give_up_s);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_webhook_result", outcomes, &word);
  *outcome = s == DB_ONE_ROW ? (enum webhook_outcome)word : WEBHOOK_STALE;
  if (res)
    PQclear(res);
  return s;
}
