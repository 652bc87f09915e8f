/* reverse.c — issuer_reverse: a 0400/0401 in one statement,
 * issuer.do_reverse (sql/0022, from sql/0012): the original found by its
 * key (the peer's: a merchant reverses only its own token sales) and undone
 * exactly once, or a void row recorded so that a late original is refused.
 * DB_REPEATABLE: sent again, it finds what its first call left. */
#include "credit-server/db/ops.h"

#include <string.h>

#include "common/log.h"

enum db_status issuer_reverse(struct db *db, const char *peer, const struct reversal_request *in,
                              enum reversal_outcome *outcome)
{
  static struct db_statement st = DB_STATEMENT("issuer_reverse", DB_REPEATABLE, 8,
                                               "SELECT outcome FROM issuer.do_reverse($1, $2, $3, $4, $5, $6, $7, $8)");
  char transmitted[CREDIT_TIMESTAMP_LEN];
  struct db_params p;
  PGresult *res = NULL;

  credit_timestamp_text(in->transmitted_at, transmitted);
  if (!transmitted[0]) {
    LOG_BUG("a reversal without the original's transmission time");
    return DB_HARD_ERROR;
  }
  db_params_init(&p);
  db_param_text(&p, peer);
  db_param_text(&p, in->stan);
  db_param_text(&p, in->terminal_id);
  db_param_text(&p, in->transmission_time);
  db_param_text(&p, transmitted);
  db_param_text(&p, in->merchant_code);
  db_param_text(&p, in->currency);
  db_param_int64(&p, in->amount);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    const char *o = db_text(res, 0, "outcome");
    if (strcmp(o, "undone") == 0) {
      *outcome = REVERSAL_UNDONE;
    } else if (strcmp(o, "already") == 0) {
      *outcome = REVERSAL_ALREADY;
    } else if (strcmp(o, "not_found") == 0) {
      *outcome = REVERSAL_NOT_FOUND;
    } else {
      LOG_BUG("issuer.do_reverse answered outcome '%s'", o);
      s = DB_HARD_ERROR;
    }
  } else if (s >= 0) {
    LOG_BUG("issuer.do_reverse returned %d rows", (int)s);
    s = DB_HARD_ERROR;
  }
  if (res)
    PQclear(res);
  return s;
}
