/* merchant_list.c — adb_merchant_list: the merchants with their shop names and how many
 * terminals each has, as `merchant list` prints them. */
#include "table.h"

enum db_status adb_merchant_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_merchant_list", DB_READ, 0,
                   "SELECT m.code, m.name, m.shop_name AS shop, m.status, "
                   "(SELECT count(*) FROM gateway.terminals t WHERE t.merchant_id = m.id) AS terminals "
                   "FROM gateway.merchants m ORDER BY m.code");

  return adb_table_read(db, &st, out);
}
