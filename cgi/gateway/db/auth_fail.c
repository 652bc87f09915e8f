/* auth_fail.c — db_auth_fail: a 0100 without an answer ended in one round
 * trip and one commit (gateway.do_fail_authorization, sql/0016): its
 * reversal made due, the payment failed, the handset told and the sweeper
 * woken.  The worker calls it after its time-out (or for a card that did
 * not decrypt), the sweeper for an authorization a dead worker left "sent". */
#include "gateway/db/authorization.h"

#include <string.h>

enum db_status db_auth_fail(struct db *db, const struct auth_fail_in *in, struct auth_fail_out *out)
{
  static struct db_statement st =
      DB_STATEMENT("auth_fail", DB_REPEATABLE, 5,
                   "SELECT was_sent, txn_status FROM gateway.do_fail_authorization($1, $2, $3, $4, $5)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->txn_id);
  db_param_text(&p, in->reason);
  db_param_text(&p, in->message);
  db_param_text(&p, in->signature);
  db_param_text(&p, in->wake);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->was_sent = db_bool(res, 0, "was_sent");
    db_copy(res, 0, "txn_status", out->txn_status);
  } else if (s >= 0) {
    s = DB_HARD_ERROR; /* a function of RETURNS TABLE answers one row */
  }
  if (res)
    PQclear(res);
  return s;
}
