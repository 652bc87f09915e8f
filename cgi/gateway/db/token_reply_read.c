/* token_reply_read.c — db_token_reply_read: what the worker needs to judge
 * a handset's reply to a token request: the request's state, its user's
 * handset and key, the web-password hash and the lock (the history's
 * columns, sql/0019).  A read: gateway.do_token_reply checks the state
 * again under its lock. */
#include "gateway/db/token.h"

#include <string.h>

enum db_status db_token_reply_read(struct db *db, const char *id, struct token_reply_row *out)
{
  static struct db_statement st =
      DB_STATEMENT("token_reply_read", DB_READ, 1,
                   "SELECT r.status, (r.status = 'awaiting_reply' AND r.reply_deadline < now()) AS overdue, r.user_id,"
                   "       d.code AS device_code, encode(d.public_key, 'hex') AS public_key,"
                   "       (d.status = 'active' AND u.device_id = r.device_id AND u.status = 'active') AS device_ok,"
                   "       coalesce(u.web_password_hash, '') AS password_hash,"
                   "       coalesce(u.locked_until > now(), false) AS locked,"
                   "       coalesce(to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') "
                   "AS locked_until"
                   "  FROM gateway.token_requests r JOIN gateway.users u ON u.user_id = r.user_id"
                   "  JOIN gateway.devices d ON d.id = r.device_id"
                   " WHERE r.token = $1");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    db_copy(res, 0, "status", out->status);
    out->overdue = db_bool(res, 0, "overdue");
    db_copy(res, 0, "user_id", out->user_id);
    db_copy(res, 0, "device_code", out->device_code);
    db_copy(res, 0, "public_key", out->public_key);
    out->device_ok = db_bool(res, 0, "device_ok");
    db_copy(res, 0, "password_hash", out->password_hash);
    out->locked = db_bool(res, 0, "locked");
    db_copy(res, 0, "locked_until", out->locked_until);
  } else if (s >= 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
