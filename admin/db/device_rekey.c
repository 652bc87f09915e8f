/* device_rekey.c — adb_device_rekey: a subscriber's handset gets a new
 * public key; signatures of its old key are refused from then on. */
#include "ops.h"

enum db_status adb_device_rekey(struct db *db, const struct device_ref *in, const struct device_key *key)
{
  static struct db_statement st =
      DB_STATEMENT("adb_device_rekey", DB_REPEATABLE, 3,
                   "UPDATE gateway.devices d SET public_key = $3 FROM gateway.subscribers s "
                   "WHERE s.id = d.subscriber_id AND d.code = $1 AND s.code = $2 RETURNING d.id");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->code);
  db_param_text(&p, in->subscriber_code);
  db_param_bytea(&p, key->public_key, sizeof key->public_key);
  return db_call(db, &st, &p, NULL);
}
