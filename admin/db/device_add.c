/* device_add.c — adb_device_add: a handset of a subscriber with its
 * Ed25519 public key (the private key never reaches the database).  A
 * taken device ID inserts nothing (DB_NO_ROWS). */
#include "ops.h"

enum db_status adb_device_add(struct db *db, const struct device_new *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_device_add", DB_CHANGE, 3,
                   "INSERT INTO gateway.devices (subscriber_id, code, public_key) VALUES ($1, $2, $3) "
                   "ON CONFLICT (code) DO NOTHING RETURNING id");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, in->subscriber_id);
  db_param_text(&p, in->code);
  db_param_bytea(&p, in->public_key, sizeof in->public_key);
  return db_call(db, &st, &p, NULL);
}
