/* range_list.c — adb_range_list: the card-number ranges with their issuers, in card-number
 * order (bounds padded to 19 digits), as `range list` prints them. */
#include "table.h"

enum db_status adb_range_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_range_list", DB_READ, 0,
                   "SELECT r.id, i.code AS issuer, i.name, r.low, r.high, i.status "
                   "FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id "
                   "ORDER BY rpad(r.low, 19, '0')");

  return adb_table_read(db, &st, out);
}
