/* device_list.c — adb_device_list: the handsets with the SHA-256 of their public keys and
 * how many user IDs each has, as `device list` prints them. */
#include "table.h"

enum db_status adb_device_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_device_list", DB_READ, 0,
                   "SELECT d.code AS device, s.code AS subscriber, d.status, "
                   "encode(sha256(d.public_key), 'hex') AS public_key_sha256, "
                   "(SELECT count(*) FROM gateway.users u WHERE u.device_id = d.id) AS users "
                   "FROM gateway.devices d JOIN gateway.subscribers s ON s.id = d.subscriber_id "
                   "ORDER BY s.code, d.code");

  return adb_table_read(db, &st, out);
}
