/* order_get.c — db_order_get: an order by its code, expired first when it
 * still awaits a user past its time (PAYGW_SHOP_ORDER_TTL_S). */
#include "shop/db/shop_db.h"

#include <string.h>

static enum db_status expire_if_due(struct db *db, const char *code)
{
  static struct db_statement st =
      DB_STATEMENT("order_expire_due", DB_REPEATABLE, 1,
                   "UPDATE shop.orders SET state = 'expired', reason = 'no user ID came in time', updated_at = now(),"
                   " completed_at = now() WHERE code = $1 AND state = 'awaiting_user' AND expires_at <= now()");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, code);
  return db_call(db, &st, &p, NULL);
}

enum db_status db_order_get(struct db *db, const char *code, struct order_row *out)
{
  static struct db_statement st = DB_STATEMENT(
      "order_get", DB_READ, 1,
      "SELECT id, code, coalesce(session_id, 0) AS session_id, state, user_id, transaction_number, binding_code,"
      "       subtotal, tax_total, total, currency, error, method, coalesce(installments, 0) AS installments,"
      "       approval_code, card_masked, response_code, reason,"
      "       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,"
      "       to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS completed_at"
      "  FROM shop.orders WHERE code = $1");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  enum db_status s = expire_if_due(db, code);
  if (s < 0)
    return s;
  db_params_init(&p);
  db_param_text(&p, code);
  s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->id = db_int64(res, 0, "id");
    db_copy(res, 0, "code", out->code);
    out->session_id = db_int64(res, 0, "session_id");
    db_copy(res, 0, "state", out->state);
    db_copy(res, 0, "user_id", out->user_id);
    db_copy(res, 0, "transaction_number", out->transaction);
    db_copy(res, 0, "binding_code", out->binding_code);
    out->subtotal = db_int64(res, 0, "subtotal");
    out->tax_total = db_int64(res, 0, "tax_total");
    out->total = db_int64(res, 0, "total");
    db_copy(res, 0, "currency", out->currency);
    db_copy(res, 0, "error", out->error);
    db_copy(res, 0, "method", out->method);
    out->installments = db_int64(res, 0, "installments");
    db_copy(res, 0, "approval_code", out->approval_code);
    db_copy(res, 0, "card_masked", out->card_masked);
    db_copy(res, 0, "response_code", out->response_code);
    db_copy(res, 0, "reason", out->reason);
    db_copy(res, 0, "created_at", out->created_at);
    db_copy(res, 0, "completed_at", out->completed_at);
  }
  if (res)
    PQclear(res);
  return s < 0 ? s : s == DB_ONE_ROW ? DB_ONE_ROW : DB_NO_ROWS;
}
