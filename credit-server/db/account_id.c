/* account_id.c — issuer_account_id: the row ID of a card's account, taken
 * before the row is written because the card's ciphertext is bound to it:
 * the existing account's (its row locked for the rest of the enrolment's
 * transaction) or a new one from the column's sequence. */
#include "credit-server/db/ops.h"

enum db_status issuer_account_id(struct db *db, const char *card_hash, int64_t *id)
{
  static struct db_statement st =
      DB_STATEMENT("issuer_account_id", DB_CHANGE, 1,
                   "SELECT coalesce((SELECT id FROM issuer.card_accounts WHERE card_lookup_hash = $1 FOR UPDATE),"
                   "                nextval(pg_get_serial_sequence('issuer.card_accounts', 'id'))) AS id");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, card_hash);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    *id = db_int64(res, 0, "id");
  if (res)
    PQclear(res);
  return s;
}
