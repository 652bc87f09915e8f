/* txn.c — see txn.h. */
#include "gateway/txn.h"
#include "gateway/db/queries.h"
#include "gateway/mailbox.h"
#include "gateway/reply.h"
#include "gateway/timefmt.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_status txn_fetch(struct db *db, struct db_statement *st_read, const struct db_params *params, PGresult **res)
{
  enum db_status st = db_call(db, st_read, params, res);

  if (st != DB_ONE_ROW || strcmp(db_text(*res, 0, "overdue"), "t") != 0)
    return st;
  struct db_params id;
  db_params_init(&id);
  db_param_text(&id, db_text(*res, 0, "id"));
  enum db_status ex = db_call(db, &q_txn_expire, &id, NULL);
  PQclear(*res);
  *res = NULL;
  if (ex < 0)
    return ex;
  return db_call(db, st_read, params, res);
}

enum db_status txn_lock(struct db *db, const char *number, PGresult **res)
{
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, number);
  return txn_fetch(db, &q_txn_lock, &params, res);
}

enum db_status txn_read(struct db *db, const char *number, PGresult **res)
{
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, number);
  return txn_fetch(db, &q_txn_read, &params, res);
}

bool txn_is_final(const char *status)
{
  static const char *const finals[] = { "completed", "declined", "failed", "canceled", "expired", NULL };
  for (const char *const *f = finals; *f; f++)
    if (strcmp(status, *f) == 0)
      return true;
  return false;
}

static json_t *nullable_string(PGresult *res, const char *column)
{
  return db_null(res, 0, column) ? json_null() : json_string(db_text(res, 0, column));
}

static json_t *outcome_view(PGresult *res, const char *status)
{
  if (strcmp(status, "completed") == 0) {
    return json_pack("{s:s, s:s, s:i, s:s, s:o}", "approval_code", db_text(res, 0, "approval_code"),
                     "method", db_text(res, 0, "method"), "installments", atoi(db_text(res, 0, "installments")),
                     "card", db_text(res, 0, "card_masked"), "completed_at", nullable_string(res, "completed_at"));
  }
  if (strcmp(status, "declined") == 0)
    return json_pack("{s:s, s:s}", "code", db_text(res, 0, "response_code"), "reason", db_text(res, 0, "outcome_reason"));
  return json_pack("{s:s}", "reason", db_text(res, 0, "outcome_reason"));
}

json_t *txn_terminal_view(PGresult *res)
{
  const char *status = db_text(res, 0, "status");
  json_t *items = json_loads(db_text(res, 0, "items"), 0, NULL);
  json_t *view = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:o, s:s, s:o, s:o}",
                           "transaction", db_text(res, 0, "number"), "status", status,
                           "binding_code", db_text(res, 0, "binding_code"),
                           "total", (json_int_t)strtoll(db_text(res, 0, "total"), NULL, 10),
                           "tax_total", (json_int_t)strtoll(db_text(res, 0, "tax_total"), NULL, 10),
                           "currency", db_text(res, 0, "currency"), "reference", nullable_string(res, "reference"),
                           "created_at", db_text(res, 0, "created_at"), "expires_at", nullable_string(res, "deadline"),
                           "items", items ? items : json_array());
  if (strcmp(status, "completed") == 0)
    json_object_set_new(view, "completion", outcome_view(res, status));
  else if (strcmp(status, "declined") == 0)
    json_object_set_new(view, "decline", outcome_view(res, status));
  else if (txn_is_final(status))
    json_object_set_new(view, strcmp(status, "failed") == 0 ? "failure" : "ended", outcome_view(res, status));
  return view;
}

void txn_ref_from(PGresult *res, struct txn_ref *ref)
{
  snprintf(ref->id, sizeof ref->id, "%s", db_text(res, 0, "id"));
  snprintf(ref->number, sizeof ref->number, "%s", db_text(res, 0, "number"));
  snprintf(ref->user_id, sizeof ref->user_id, "%s", db_text(res, 0, "user_id"));
  snprintf(ref->device_id, sizeof ref->device_id, "%s", db_text(res, 0, "device_id"));
}

json_t *txn_completion_message(const struct txn_ref *ref, const char *status, const char *approval,
                               const char *reason)
{
  char now[RFC3339_LEN];
  rfc3339(time(NULL), now);
  json_t *msg = json_pack("{s:s, s:s, s:s, s:s}", "kind", "completion", "transaction", ref->number,
                          "user_id", ref->user_id, "status", status);
  if (approval && *approval)
    json_object_set_new(msg, "approval_code", json_string(approval));
  if (reason && *reason)
    json_object_set_new(msg, "reason", json_string(reason));
  json_object_set_new(msg, "issued_at", json_string(now));
  return msg;
}

enum db_status txn_notify_handset(struct db *db, const struct txn_ref *ref, const char *status,
                                  const char *approval, const char *reason)
{
  return mailbox_put(db, ref->device_id, ref->user_id, ref->id, "completion",
                     txn_completion_message(ref, status, approval, reason), NULL);
}

int txn_reply_wrong_state(struct request *rq, const char *status, const char *doing)
{
  return CLIENT_FAULT_EXTRA(rq, PROBLEM_WRONG_STATE, json_pack("{s:s}", "transaction_status", status),
                            "the transaction is %s; %s is not possible now", status, doing);
}

enum txn_access txn_lock_for_session(struct db *db, struct request *rq, PGresult **res)
{
  return txn_for_session(db, rq, res, true);
}

enum txn_access txn_for_session(struct db *db, struct request *rq, PGresult **res, bool lock)
{
  enum db_status st = (lock ? txn_lock : txn_read)(db, rq->path_param, res);

  if (st < 0)
    return TXN_DB_ERROR;
  if (st == DB_NO_ROWS) {
    PQclear(*res);
    *res = NULL;
    return TXN_UNKNOWN;
  }
  const char *stored = db_text(*res, 0, "session_hash");
  if (strlen(stored) != 64 || CRYPTO_memcmp(stored, rq->session_hash, 64) != 0) {
    PQclear(*res);
    *res = NULL;
    return TXN_BAD_SESSION;
  }
  return TXN_OK;
}

int txn_reply_access(struct request *rq, enum txn_access access)
{
  switch (access) {
  case TXN_UNKNOWN:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s", rq->path_param);
  case TXN_BAD_SESSION:
    reply_add_header(rq, "WWW-Authenticate: Bearer realm=\"paygw\"");
    return CLIENT_FAULT(rq, PROBLEM_UNAUTHENTICATED, "the session does not belong to this transaction");
  default:
    return reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
  }
}
