/* token_status.c — db_token_status: the status GET /v1/tokens/{id}?wait=
 * watches, read without a lock (an overdue request reads as expired; the
 * view that follows expires it). */
#include "gateway/db/token.h"

enum db_status db_token_status(struct db *db, const char *id, int64_t terminal_id, char status[32])
{
  static struct db_statement st = DB_STATEMENT(
      "token_status", DB_READ, 2,
      "SELECT CASE WHEN status = 'awaiting_reply' AND reply_deadline < now() THEN 'expired' ELSE status END AS status"
      "  FROM gateway.token_requests WHERE token = $1 AND terminal_id = $2");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, id);
  db_param_int64(&p, terminal_id);
  return db_call_copy_at(db, &st, &p, "status", status, 32, __FILE__, __LINE__);
}
