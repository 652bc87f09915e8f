/* card_next_id.c — adb_card_next_id: the id the next card row will have.
 * A card's ciphertext is bound to its row id (cardcrypt's AAD), so the id
 * is drawn before the number is encrypted and the row written. */
#include "ops.h"

enum db_status adb_card_next_id(struct db *db, int64_t *card_id)
{
  static struct db_statement st = DB_STATEMENT("adb_card_next_id", DB_CHANGE, 0,
                                               "SELECT nextval(pg_get_serial_sequence('gateway.cards', 'id')) AS id");
  PGresult *res = NULL;

  enum db_status s = db_call(db, &st, NULL, &res);
  if (s == DB_ONE_ROW)
    *card_id = db_int64(res, 0, "id");
  if (res)
    PQclear(res);
  return s;
}
