/* user_list.c — adb_user_list: the user IDs with their cards, handsets and lock-out
 * state, as `user list` prints them. */
#include "table.h"

enum db_status adb_user_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_user_list", DB_READ, 0,
                   "SELECT u.user_id, s.code AS subscriber, u.card_id AS card, "
                   "c.pan_masked AS masked, d.code AS device, "
                   "u.status, u.failed_attempts AS failed, "
                   "coalesce(to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-') "
                   "AS locked_until "
                   "FROM gateway.users u JOIN gateway.subscribers s ON s.id = u.subscriber_id "
                   "JOIN gateway.cards c ON c.id = u.card_id JOIN gateway.devices d ON d.id = u.device_id "
                   "ORDER BY u.user_id");

  return adb_table_read(db, &st, out);
}
