/* txn_view.c — db_txn_view: GET /v1/transactions/{number} in one round trip
 * (gateway.do_transaction_view, sql/0015 and sql/0023): the transaction as its terminal
 * sees it, expired first when overdue. */
#include "gateway/db/terminal.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_status db_txn_view(struct db *db, const char *number, int64_t merchant_id, struct txn_view *out)
{
  static struct db_statement st = DB_STATEMENT(
      "txn_view", DB_REPEATABLE, 2,
      "SELECT outcome, txn_status, binding_code, total, tax_total, currency, reference, created_at, deadline, items,"
      "       completed_at, approval_code, method, installments, card_masked, response_code, outcome_reason,"
      "       refunded, refundable"
      "  FROM gateway.do_transaction_view($1, $2)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, number);
  db_param_int64(&p, merchant_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->found = strcmp(db_text(res, 0, "outcome"), "found") == 0;
    if (out->found) {
      snprintf(out->number, sizeof out->number, "%.*s", (int)sizeof out->number - 1, number);
      db_copy(res, 0, "txn_status", out->status);
      db_copy(res, 0, "binding_code", out->binding_code);
      out->total = db_int64(res, 0, "total");
      out->tax_total = db_int64(res, 0, "tax_total");
      db_copy(res, 0, "currency", out->currency);
      out->has_reference = !db_null(res, 0, "reference");
      db_copy(res, 0, "reference", out->reference);
      db_copy(res, 0, "created_at", out->created_at);
      out->has_deadline = !db_null(res, 0, "deadline");
      db_copy(res, 0, "deadline", out->deadline);
      out->items = strdup(db_text(res, 0, "items"));
      out->has_completed_at = !db_null(res, 0, "completed_at");
      db_copy(res, 0, "completed_at", out->completed_at);
      db_copy(res, 0, "approval_code", out->approval_code);
      db_copy(res, 0, "method", out->method);
      out->installments = (int)db_int64(res, 0, "installments");
      db_copy(res, 0, "card_masked", out->card_masked);
      db_copy(res, 0, "response_code", out->response_code);
      db_copy(res, 0, "outcome_reason", out->outcome_reason);
      out->refunded = db_int64(res, 0, "refunded");
      out->refundable = db_int64(res, 0, "refundable");
    } else if (strcmp(db_text(res, 0, "outcome"), "unknown_txn") != 0) {
      LOG_BUG("do_transaction_view answered outcome %s", db_text(res, 0, "outcome"));
      s = DB_HARD_ERROR;
    }
  } else if (s >= 0) {
    s = DB_HARD_ERROR; /* a function of RETURNS TABLE answers one row */
  }
  if (res)
    PQclear(res);
  return s;
}
