/* terminal_list.c — adb_terminal_list: the terminals with their field-41 IDs and merchants
 * (never a credential or its hash), as `terminal list` prints them. */
#include "table.h"

enum db_status adb_terminal_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_terminal_list", DB_READ, 0,
                   "SELECT t.code, t.iso_terminal_id AS field_41, m.code AS merchant, m.shop_name AS shop, t.status, "
                   "to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created "
                   "FROM gateway.terminals t JOIN gateway.merchants m ON m.id = t.merchant_id "
                   "ORDER BY m.code, t.code");

  return adb_table_read(db, &st, out);
}
