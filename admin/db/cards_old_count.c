/* cards_old_count.c — adb_cards_old_count: per key ID, the cards not yet
 * under the current data key and AAD format (locked rows included), so
 * cards reencrypt can refuse up front a key the key file lacks. */
#include "ops.h"

#include <string.h>

enum db_status adb_cards_old_count(struct db *db, int current_key, int current_aad, struct cards_old_count *out)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_cards_old_count", DB_READ, 2,
      "SELECT key_id, count(*) AS n FROM gateway.cards WHERE key_id <> $1::integer OR pan_aad <> $2::smallint "
      "GROUP BY key_id ORDER BY key_id");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_int64(&p, current_key);
  db_param_int64(&p, current_aad);
  enum db_status s = db_call(db, &st, &p, &res);
  for (int i = 0; s > 0 && i < PQntuples(res); i++) {
    if (i == ADB_KEYS_MAX) {
      s = DB_HARD_ERROR; /* more key IDs than a key file can hold */
      break;
    }
    out->keys[i].key_id = (int)db_int64(res, i, "key_id");
    out->keys[i].cards = db_int64(res, i, "n");
    out->n_keys = i + 1;
  }
  if (res)
    PQclear(res);
  return s;
}
