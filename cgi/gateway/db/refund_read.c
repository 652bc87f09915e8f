/* refund_read.c — db_refund_row_read, the columns of sql/0023's
 * gateway.refund_facts, and db_refund_read: one refund by its row's id,
 * for the worker after the create and the sweeper after a claim. */
#include "gateway/db/refund.h"

#include <stdio.h>
#include <string.h>

void db_refund_row_read(const PGresult *res, int i, struct refund_row *r)
{
  memset(r, 0, sizeof *r);
  db_copy(res, i, "refund_id", r->id);
  db_copy(res, i, "number", r->number);
  db_copy(res, i, "kind", r->kind);
  r->amount = db_int64(res, i, "amount");
  db_copy(res, i, "currency", r->currency);
  r->has_reason = !db_null(res, i, "reason");
  db_copy(res, i, "reason", r->reason);
  db_copy(res, i, "status", r->status);
  db_copy(res, i, "response_code", r->response_code);
  db_copy(res, i, "outcome_reason", r->outcome_reason);
  db_copy(res, i, "created_at", r->created_at);
  r->has_ended_at = !db_null(res, i, "ended_at");
  db_copy(res, i, "ended_at", r->ended_at);
  r->stan = (int)db_int64(res, i, "stan");
  db_copy(res, i, "transmission_time", r->transmission_time);
  r->attempts = (int)db_int64(res, i, "attempts");
  r->orig_stan = (int)db_int64(res, i, "orig_stan");
  db_copy(res, i, "orig_time", r->orig_time);
  db_copy(res, i, "terminal_code", r->terminal_code);
  db_copy(res, i, "merchant_code", r->merchant_code);
  db_copy(res, i, "shop_name", r->shop_name);
  db_copy(res, i, "user_id", r->user_id);
  r->total = db_int64(res, i, "total");
  r->refunded_others = db_int64(res, i, "refunded_others");
}

enum db_status db_refund_read(struct db *db, const char *id, struct refund_row *r)
{
  static struct db_statement st =
      DB_STATEMENT("refund_read", DB_READ, 1, "SELECT * FROM gateway.refund_facts($1::bigint)");
  struct db_params p;
  PGresult *res = NULL;

  memset(r, 0, sizeof *r);
  db_params_init(&p);
  db_param_text(&p, id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    db_refund_row_read(res, 0, r);
  else if (s >= 0)
    s = DB_NO_ROWS;
  if (res)
    PQclear(res);
  return s;
}
