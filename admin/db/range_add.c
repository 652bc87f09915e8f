/* range_add.c — adb_range_add: a card-number range of an issuer (fig 9);
 * the caller has checked it overlaps no other under adb_ranges_lock. */
#include "ops.h"

enum db_status adb_range_add(struct db *db, const struct range_new *in)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_range_add", DB_CHANGE, 3, "INSERT INTO gateway.issuer_ranges (issuer_id, low, high) VALUES ($1, $2, $3)");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, in->issuer_id);
  db_param_text(&p, in->low);
  db_param_text(&p, in->high);
  return db_call(db, &st, &p, NULL);
}
