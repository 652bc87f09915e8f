/* card_by_lookup.c — adb_card_by_lookup: the card enrolled under an HMAC
 * lookup hash, so one card number is never enrolled twice. */
#include "ops.h"

enum db_status adb_card_by_lookup(struct db *db, const char *lookup_hex, int64_t *card_id)
{
  static struct db_statement st =
      DB_STATEMENT("adb_card_by_lookup", DB_READ, 1, "SELECT id FROM gateway.cards WHERE pan_lookup = $1");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, lookup_hex);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s > 0)
    *card_id = db_int64(res, 0, "id");
  if (res)
    PQclear(res);
  return s;
}
