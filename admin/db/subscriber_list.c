/* subscriber_list.c — adb_subscriber_list: the subscribers with how many handsets, cards and
 * user IDs each holds, as `subscriber list` prints them. */
#include "table.h"

enum db_status adb_subscriber_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_subscriber_list", DB_READ, 0,
                   "SELECT s.code, s.name, s.status, "
                   "(SELECT count(*) FROM gateway.devices d WHERE d.subscriber_id = s.id) AS devices, "
                   "(SELECT count(*) FROM gateway.cards c WHERE c.subscriber_id = s.id) AS cards, "
                   "(SELECT count(*) FROM gateway.users u WHERE u.subscriber_id = s.id) AS users "
                   "FROM gateway.subscribers s ORDER BY s.code");

  return adb_table_read(db, &st, out);
}
