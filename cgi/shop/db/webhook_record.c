/* webhook_record.c — db_webhook_record: one call of shop.do_webhook
 * (sql/0018): the webhook-id recorded and the order moved in one
 * transaction, or nothing when the id was seen. */
#include "shop/db/shop_db.h"

#include <stdio.h>

enum db_status db_webhook_record(struct db *db, const struct webhook_event *ev, enum webhook_outcome *outcome,
                                 char *state, size_t state_len)
{
  static struct db_statement st =
      DB_STATEMENT("webhook_record", DB_CHANGE, 11,
                   "SELECT outcome, state FROM shop.do_webhook($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
  static const char *const outcomes[] = {
    [WEBHOOK_MOVED] = "moved",
    [WEBHOOK_REPEATED] = "repeated",
    [WEBHOOK_UNKNOWN_ORDER] = "unknown_order",
    [WEBHOOK_UNCHANGED] = "unchanged",
  };
  struct db_params p;
  PGresult *res = NULL;
  int o;

  db_params_init(&p);
  db_param_text(&p, ev->id);
  db_param_text(&p, ev->code);
  db_param_text(&p, ev->transaction);
  db_param_text(&p, ev->state);
  db_param_text(&p, ev->method);
  if (ev->installments >= 0)
    db_param_int64(&p, ev->installments);
  else
    db_param_text(&p, NULL);
  db_param_text(&p, ev->approval_code);
  db_param_text(&p, ev->card_masked);
  db_param_text(&p, ev->response_code);
  db_param_text(&p, ev->reason);
  db_param_text(&p, ev->completed_at);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "shop.do_webhook", outcomes, &o);
  if (s == DB_ONE_ROW) {
    *outcome = (enum webhook_outcome)o;
    snprintf(state, state_len, "%s", db_text(res, 0, "state") ? db_text(res, 0, "state") : "");
  }
  if (res)
    PQclear(res);
  return s;
}
