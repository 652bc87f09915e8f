/* demo_lock.c — adb_demo_lock: two `paygw-admin demo` runs at once: the
 * second waits here until the first has committed, then finds the data. */
#include "ops.h"

enum db_status adb_demo_lock(struct db *db)
{
  static struct db_statement st =
      DB_STATEMENT("adb_demo_lock", DB_READ, 0, "SELECT pg_advisory_xact_lock(hashtext('paygw-admin demo'))");

  return db_call(db, &st, NULL, NULL);
}
