/* refund_record.c — db_refund_record: one call of shop.do_refund (sql/0026):
 * a refund the gateway answered or a refund.* webhook told of, recorded or
 * moved out of pending, with the webhook's id in the same transaction. */
#include "shop/db/shop_db.h"

#include <stdio.h>

enum db_status db_refund_record(struct db *db, const struct refund_event *ev, enum refund_outcome *outcome,
                                char *status, size_t status_len)
{
  static struct db_statement st =
      DB_STATEMENT("refund_record", DB_CHANGE, 12,
                   "SELECT outcome, status FROM shop.do_refund($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
  static const char *const outcomes[] = {
    [REFUND_RECORDED] = "recorded",           [REFUND_MOVED] = "moved",
    [REFUND_UNCHANGED] = "unchanged",         [REFUND_REPEATED] = "repeated",
    [REFUND_UNKNOWN_ORDER] = "unknown_order",
  };
  struct db_params p;
  PGresult *res = NULL;
  int o;

  db_params_init(&p);
  db_param_text(&p, ev->webhook_id);
  db_param_text(&p, ev->code);
  db_param_text(&p, ev->transaction);
  db_param_text(&p, ev->refund_id);
  db_param_text(&p, ev->idempotency_key);
  db_param_text(&p, ev->kind);
  db_param_int64(&p, ev->amount);
  db_param_text(&p, ev->currency);
  db_param_text(&p, ev->reason);
  db_param_text(&p, ev->status);
  db_param_text(&p, ev->outcome_reason);
  db_param_text(&p, ev->completed_at);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "shop.do_refund", outcomes, &o);
  if (s == DB_ONE_ROW) {
    *outcome = (enum refund_outcome)o;
    snprintf(status, status_len, "%s", db_text(res, 0, "status") ? db_text(res, 0, "status") : "");
  }
  if (res)
    PQclear(res);
  return s;
}
