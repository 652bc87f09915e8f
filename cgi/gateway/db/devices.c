/* devices.c — handsets: their keys and their mailbox polls. */
#include "gateway/db/queries.h"

struct db_statement q_device_by_code = {
  "device_by_code",
  "SELECT id, encode(public_key, 'hex') AS public_key, last_poll_ms,"
  "       (last_poll_at IS NOT NULL AND last_poll_at > now() - make_interval(secs => $2::double precision)) AS too_soon"
  "  FROM gateway.devices WHERE code = $1 AND status = 'active'",
  2, 0
};

/* Accepts a poll only with a newer timestamp than the last one: a captured
 * request replayed later finds no row. */
struct db_statement q_device_poll = {
  "device_poll",
  "UPDATE gateway.devices SET last_poll_ms = $2, last_poll_at = now() WHERE id = $1 AND last_poll_ms < $2",
  2, 0
};

struct db_statement q_mailbox_take = {
  "mailbox_take",
  "WITH m AS (SELECT id FROM gateway.mailbox"
  "            WHERE device_id = $1 AND delivered_at IS NULL AND (expires_at IS NULL OR expires_at > now())"
  "            ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED)"
  " UPDATE gateway.mailbox mb SET delivered_at = now() FROM m WHERE mb.id = m.id"
  " RETURNING mb.id, mb.message, mb.signature",
  1, 0
};
