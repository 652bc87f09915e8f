/* token_view.c — db_token_view and db_token_cancel: a token request as the
 * terminal that made it sees it (gateway.do_token_view, expiring an
 * overdue one first), and its cancel (gateway.do_token_cancel). */
#include "gateway/db/token.h"
#include "gateway/token_request.h"

#include <stdlib.h>
#include <string.h>

static const char *const outcomes[] = {
  [TOKEN_FOUND] = "found",
  [TOKEN_UNKNOWN] = "unknown_token",
  [TOKEN_WRONG_STATE] = "wrong_state",
  [TOKEN_CANCELED] = "canceled",
};

int token_view_outcome_of(const char *text)
{
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
}

static enum db_status call(struct db *db, struct db_statement *st, const char *function, const char *id,
                           int64_t terminal_id, struct token_view *out)
{
  struct db_params p;
  PGresult *res = NULL;
  int outcome;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, id);
  db_param_int64(&p, terminal_id);
  enum db_status s = db_call(db, st, &p, &res);
  s = db_outcome(s, res, function, outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum token_view_outcome)outcome;
    db_copy(res, 0, "token_status", out->status);
    if (!db_null(res, 0, "body"))
      out->body = token_answer_compact(db_text(res, 0, "body")); /* compact, as every answer */
  }
  if (res)
    PQclear(res);
  return s;
}

enum db_status db_token_view(struct db *db, const char *id, int64_t terminal_id, struct token_view *out)
{
  static struct db_statement st = DB_STATEMENT("token_view", DB_REPEATABLE, 2,
                                               "SELECT outcome, token_status, body FROM gateway.do_token_view($1, $2)");
  return call(db, &st, "gateway.do_token_view", id, terminal_id, out);
}

enum db_status db_token_cancel(struct db *db, const char *id, int64_t terminal_id, struct token_view *out)
{
  static struct db_statement st = DB_STATEMENT(
      "token_cancel", DB_REPEATABLE, 2, "SELECT outcome, token_status, body FROM gateway.do_token_cancel($1, $2)");
  return call(db, &st, "gateway.do_token_cancel", id, terminal_id, out);
}
