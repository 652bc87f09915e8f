/* auth_next_due.c — db_auth_next_due: how long the sweeper may sleep: until
 * the next reversal falls due, or the next "sent" authorization outlives
 * the time a worker may still be waiting for its answer. */
#include "gateway/db/sweeper.h"
#include "gateway/db/next_due.h"

enum db_status db_auth_next_due(struct db *db, long age_s, long *due_ms)
{
  static struct db_statement st = DB_STATEMENT(
      "auth_next_due", DB_READ, 1,
      "SELECT ceil(extract(epoch FROM least("
      "         min(coalesce(next_attempt_at, '-infinity')) FILTER (WHERE status = 'reversal_pending'),"
      "         min(created_at) FILTER (WHERE status = 'sent') + make_interval(secs => $1::double precision))"
      "         - now()) * 1000)::bigint AS due_in_ms"
      "  FROM gateway.authorizations WHERE status IN ('sent', 'reversal_pending')");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, age_s);
  return db_next_due_ms(db, &st, &p, due_ms);
}
