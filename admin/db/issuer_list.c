/* issuer_list.c — adb_issuer_list: the issuers and how many card-number ranges each has, as
 * `issuer list` prints them. */
#include "table.h"

enum db_status adb_issuer_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_issuer_list", DB_READ, 0,
                   "SELECT code, name, status, "
                   "(SELECT count(*) FROM gateway.issuer_ranges r WHERE r.issuer_id = i.id) AS ranges "
                   "FROM gateway.issuers i ORDER BY code");

  return adb_table_read(db, &st, out);
}
