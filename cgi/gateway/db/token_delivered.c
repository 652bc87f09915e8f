/* token_delivered.c — db_token_delivered: the end of a token request's key
 * delivery (the 0610, or none in time) recorded on a request still
 * delivering (gateway.do_token_delivered, sql/0021). */
#include "gateway/db/token.h"

#include <string.h>

enum db_status db_token_delivered(struct db *db, const struct token_delivered_in *in, struct token_delivered_out *out)
{
  static struct db_statement st =
      DB_STATEMENT("token_delivered", DB_REPEATABLE, 9,
                   "SELECT outcome, token_status, reason"
                   "  FROM gateway.do_token_delivered($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->row_id);
  db_param_text(&p, in->status);
  db_param_text(&p, in->reason);
  db_param_text(&p, in->transmission_time);
  db_param_text(&p, in->response_code);
  db_param_text(&p, in->key_id);
  db_param_text(&p, in->ecn);
  db_param_text(&p, in->expiry);
  db_param_text(&p, in->last4);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->recorded = strcmp(db_text(res, 0, "outcome"), "recorded") == 0;
    db_copy(res, 0, "token_status", out->status);
    db_copy(res, 0, "reason", out->reason);
  } else if (s >= 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
