/* subscriber_add.c — adb_subscriber_add: a subscriber of figure 7.  A
 * taken code inserts nothing (DB_NO_ROWS). */
#include "ops.h"

enum db_status adb_subscriber_add(struct db *db, const struct subscriber_new *in)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_subscriber_add", DB_CHANGE, 2,
      "INSERT INTO gateway.subscribers (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->code);
  db_param_text(&p, in->name);
  return db_call(db, &st, &p, NULL);
}
