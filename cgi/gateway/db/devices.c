/* devices.c — handsets: their keys and their mailbox polls. */
#include "gateway/db/queries.h"

struct db_statement q_device_by_code = DB_STATEMENT("device_by_code", DB_READ, 2,
  "SELECT id, encode(public_key, 'hex') AS public_key, last_poll_ms,"
  "       (last_poll_at IS NOT NULL AND last_poll_at > now() - make_interval(secs => $2::double precision)) AS too_soon"
  "  FROM gateway.devices WHERE code = $1 AND status = 'active'");

/* A mailbox pickup in one statement (one round trip, atomic): the poll is
 * accepted only with a newer timestamp than the last one, so a captured
 * request replayed later finds no device row and takes nothing.  Then the
 * device's pending messages whose time ran out (a payment command past its
 * window) are marked dropped, leaving the pending set and its index, and up
 * to 20 live ones are marked delivered and returned: the payment commands
 * newest first (the handset acts on the first it can, and the newest is the
 * sale in front of the shopper now), then the other messages (completions)
 * oldest first.  Always one row at least: `accepted` 0 or 1, and NULL
 * message columns when the mailbox is empty. */
#define PICKUP_ORDER(t) "(" t ".kind = 'payment_command') DESC, CASE WHEN " t ".kind = 'payment_command' THEN -" t ".id ELSE " t ".id END"
struct db_statement q_mailbox_pickup = DB_STATEMENT("mailbox_pickup", DB_CHANGE, 2,
  "WITH dev AS (UPDATE gateway.devices SET last_poll_ms = $2, last_poll_at = now()"
  "              WHERE id = $1 AND last_poll_ms < $2 RETURNING id),"
  " dropped AS (UPDATE gateway.mailbox mb SET dropped_at = now() FROM dev"
  "              WHERE mb.device_id = dev.id AND mb.delivered_at IS NULL AND mb.dropped_at IS NULL"
  "                AND mb.expires_at <= now()),"
  " pick AS (SELECT mb.id FROM gateway.mailbox mb JOIN dev ON dev.id = mb.device_id"
  "           WHERE mb.delivered_at IS NULL AND mb.dropped_at IS NULL"
  "             AND (mb.expires_at IS NULL OR mb.expires_at > now())"
  "           ORDER BY " PICKUP_ORDER("mb") " LIMIT 20 FOR UPDATE OF mb SKIP LOCKED),"
  " taken AS (UPDATE gateway.mailbox mb SET delivered_at = now() FROM pick WHERE mb.id = pick.id"
  "           RETURNING mb.id, mb.kind, mb.message, mb.signature)"
  " SELECT (SELECT count(*) FROM dev) AS accepted, taken.id, taken.message, taken.signature"
  "   FROM (SELECT 1) AS one LEFT JOIN taken ON true ORDER BY " PICKUP_ORDER("taken"));
