/* device_subscriber.c — adb_device_subscriber: which subscriber a handset
 * belongs to (user add binds a user ID only to the card holder's own). */
#include "ops.h"

enum db_status adb_device_subscriber(struct db *db, int64_t device_id, int64_t *subscriber_id)
{
  static struct db_statement st = DB_STATEMENT("adb_device_subscriber", DB_READ, 1,
                                               "SELECT subscriber_id FROM gateway.devices WHERE id = $1::bigint");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_int64(&p, device_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW)
    *subscriber_id = db_int64(res, 0, "subscriber_id");
  if (res)
    PQclear(res);
  return s;
}
