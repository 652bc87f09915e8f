/* history_detail.c — db_history_detail: one transaction of the signed-in
 * user by its number, with its merchant, items and every state change
 * (gateway.transaction_events, sql/0019) in one statement.  The number and
 * the user ID are both in the WHERE: another user's number is no row, the
 * same answer as an unknown one. */
#include "history/db/history_db.h"

#include <stdlib.h>
#include <string.h>

enum db_status db_history_detail(struct db *db, const char *user_id, const char *number, struct history_detail *out)
{
  static struct db_statement st = DB_STATEMENT(
      "history_detail", DB_READ, 2,
      "SELECT t.id, (extract(epoch FROM t.created_at) * 1000000)::bigint AS us, t.number,"
      "       to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created,"
      "       coalesce(to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '') AS completed,"
      "       m.name AS merchant, m.shop_name AS shop, t.total, t.tax_total, t.currency,"
      "       coalesce(t.method, '') AS method, t.installments::integer AS installments, t.status,"
      "       coalesce(t.card_masked, '') AS card_masked, coalesce(left(t.approval_code, 15), '') AS approval_code,"
      "       t.binding_code, coalesce(left(t.response_code, 7), '') AS response_code,"
      "       coalesce(left(t.outcome_reason, 199), '') AS reason, coalesce(t.reference, '') AS reference,"
      "       t.items::text AS items,"
      "       (SELECT coalesce(json_agg(json_build_array(e.status,"
      "                  to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')) ORDER BY e.at), '[]')"
      "          FROM gateway.transaction_events e WHERE e.transaction_id = t.id)::text AS events,"
      "       (SELECT coalesce(json_agg(json_build_array(r.kind, r.amount, r.status, r.reason,"
      "                  to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
      "                  to_char(r.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), r.response_code)"
      "                  ORDER BY r.created_at, r.id), '[]')"
      "          FROM gateway.refunds r WHERE r.transaction_id = t.id)::text AS refunds"
      "  FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id"
      " WHERE t.number = $1 AND t.user_id = $2");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_text(&p, user_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW || s == DB_ROWS) {
    struct history_row *r = &out->row;
    r->pos.id = db_int64(res, 0, "id");
    r->pos.us = db_int64(res, 0, "us");
    db_copy(res, 0, "number", r->number);
    db_copy(res, 0, "created", r->created);
    db_copy(res, 0, "merchant", r->merchant);
    db_copy(res, 0, "shop", r->shop);
    r->total = db_int64(res, 0, "total");
    db_copy(res, 0, "currency", r->currency);
    db_copy(res, 0, "method", r->method);
    r->installments = (int)db_int64(res, 0, "installments");
    db_copy(res, 0, "status", r->status);
    db_copy(res, 0, "card_masked", r->card_masked);
    db_copy(res, 0, "approval_code", r->approval_code);
    db_copy(res, 0, "completed", out->completed);
    out->tax_total = db_int64(res, 0, "tax_total");
    db_copy(res, 0, "binding_code", out->binding_code);
    db_copy(res, 0, "response_code", out->response_code);
    db_copy(res, 0, "reason", out->reason);
    db_copy(res, 0, "reference", out->reference);
    out->items = strdup(db_text(res, 0, "items") ? db_text(res, 0, "items") : "[]");
    out->events = strdup(db_text(res, 0, "events") ? db_text(res, 0, "events") : "[]");
    out->refunds = strdup(db_text(res, 0, "refunds") ? db_text(res, 0, "refunds") : "[]");
    if (!out->items || !out->events || !out->refunds) {
      history_detail_free(out);
      s = DB_HARD_ERROR;
    } else {
      s = DB_ONE_ROW;
    }
  }
  if (res)
    PQclear(res);
  return s;
}

void history_detail_free(struct history_detail *d)
{
  free(d->items);
  free(d->events);
  free(d->refunds);
  d->items = d->events = d->refunds = NULL;
}
