/* ep_transaction_get.c — GET /history/transactions/{NUMBER}: one of the
 * signed-in user's transactions as a printable receipt: items, tax and
 * total, binding code, approval code or the reason it did not complete,
 * the time of each state change (docs/history.md).  The router checked
 * the number's form; the read filters on the user, so another user's
 * number is the same 404 page as an unknown one. */
#include "history/db/history_db.h"
#include "history/endpoints.h"
#include "history/reply.h"
#include "history/txn_view.h"
#include "common/log.h"

#include <stdio.h>

int ep_transaction_get(struct history_request *rq)
{
  struct history_detail d;
  char title[80];

  enum db_status s = db_history_detail(rq->db, rq->session.user_id, rq->number, &d);
  if (s < 0)
    return reply_error_page(rq, 503, "The history is not available", "the database did not answer; try again");
  if (s == DB_NO_ROWS)
    return reply_not_found(rq);
  json_t *ctx = history_detail_json(&d);
  history_detail_free(&d);
  if (!ctx) {
    LOG_BUG("transaction %s: its items or events are not the JSON stored", rq->number);
    return reply_error_page(rq, 500, "This transaction cannot be shown", "its stored data could not be read");
  }
  snprintf(title, sizeof title, "Transaction %s", rq->number);
  json_object_set_new(ctx, "title", json_string(title));
  return reply_page(rq, 200, "transaction", ctx);
}
