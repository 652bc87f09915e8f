/* ranges_lock.c — adb_ranges_lock: range changes one at a time.  The
 * overlap check reads every range and compares them in C (validate.c's
 * ranges_overlap: bounds are prefixes of differing lengths), so two
 * concurrent adds must not both read before either writes. */
#include "ops.h"

enum db_status adb_ranges_lock(struct db *db)
{
  static struct db_statement st =
      DB_STATEMENT("adb_ranges_lock", DB_READ, 0, "LOCK TABLE gateway.issuer_ranges IN SHARE ROW EXCLUSIVE MODE");

  return db_call(db, &st, NULL, NULL);
}
