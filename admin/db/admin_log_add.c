/* admin_log_add.c — adb_admin_log_add: one row of gateway.admin_log, the
 * record of who changed what (written in the command's own transaction, so
 * a change and its record stand or fall together). */
#include "ops.h"

enum db_status adb_admin_log_add(struct db *db, const struct admin_log_entry *in)
{
  static struct db_statement st = DB_STATEMENT(
      "admin_log_add", DB_CHANGE, 3, "INSERT INTO gateway.admin_log (actor, action, subject) VALUES ($1, $2, $3)");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, in->actor);
  db_param_text(&p, in->action);
  db_param_text(&p, in->subject);
  return db_call(db, &st, &p, NULL);
}
