/* authorizations.c — the 0100s sent to the credit server, recorded before
 * they are sent (exactly once: answered, or reversed). */
#include "gateway/db/queries.h"

/* The issuer's answer recorded, the payment ended and the handset told ($7
 * message, $8 signature), in one statement: a row comes back only when the
 * authorization was still "sent" and the transaction "authorizing". */
struct db_statement q_auth_outcome = DB_STATEMENT("auth_outcome", DB_CHANGE, 8,
  "WITH a AS (UPDATE gateway.authorizations SET status = 'answered', response_code = $2, approval_code = $3,"
  "             answered_at = now()"
  "           WHERE transaction_id = $1 AND status = 'sent' RETURNING transaction_id),"
  " t AS (UPDATE gateway.transactions SET status = $4, deadline = NULL, response_code = $2, outcome_reason = $5,"
  "         approval_code = $6, completed_at = now(), updated_at = now()"
  "       WHERE id = (SELECT transaction_id FROM a) AND status = 'authorizing' RETURNING id, device_id, user_id)"
  " INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature)"
  " SELECT device_id, user_id, id, 'completion', $7, $8 FROM t RETURNING id");

/* No answer in time: the reversal falls due at once (the sweeper sends it). */
struct db_statement q_auth_reversal_pending = DB_STATEMENT("auth_reversal_pending", DB_CHANGE, 1,
  "UPDATE gateway.authorizations SET status = 'reversal_pending', next_attempt_at = now()"
  " WHERE transaction_id = $1 AND status = 'sent'");

/* The 0410 came: reversed, nothing more to send. */
struct db_statement q_auth_reversed = DB_STATEMENT("auth_reversed", DB_REPEATABLE, 1,
  "UPDATE gateway.authorizations SET status = 'reversed', reversed_at = now(), next_attempt_at = NULL"
  " WHERE transaction_id = $1 AND status = 'reversal_pending'");

/* What the sweeper needs to rebuild a reversal (no card number: a reversal
 * carries none). */
#define REVERSAL_COLUMNS \
  "a.transaction_id, a.user_id, a.stan, a.transmission_time, a.terminal_code, a.reversal_attempts," \
  " t.number, t.total, t.currency, t.device_id, m.code AS merchant_code" \
  " FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id" \
  " JOIN gateway.merchants m ON m.id = t.merchant_id"

/* Authorizations left "sent" for longer than $1 seconds (the issuer
 * time-out and a margin): a worker died between send and answer. */
struct db_statement q_auth_abandoned = DB_STATEMENT("auth_abandoned", DB_READ, 1,
  "SELECT " REVERSAL_COLUMNS
  " WHERE a.status = 'sent' AND a.created_at < now() - make_interval(secs => $1::double precision)"
  " ORDER BY a.created_at LIMIT 20 FOR UPDATE OF a SKIP LOCKED");

/* The reversal that has waited longest among those due, locked. */
struct db_statement q_auth_reversal_due = DB_STATEMENT("auth_reversal_due", DB_READ, 0,
  "SELECT " REVERSAL_COLUMNS
  " WHERE a.status = 'reversal_pending' AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= now())"
  " ORDER BY a.next_attempt_at NULLS FIRST LIMIT 1 FOR UPDATE OF a SKIP LOCKED");

/* Claims the row for one attempt, committed before the reversal is sent:
 * the attempt is counted and the row is not due again for $2 ms (a lease
 * long enough for the attempt and its back-off), so a sweeper that dies
 * mid-attempt does not make the next one repeat it at once. */
struct db_statement q_auth_reversal_claim = DB_STATEMENT("auth_reversal_claim", DB_CHANGE, 2,
  "UPDATE gateway.authorizations SET reversal_attempts = reversal_attempts + 1,"
  "   next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)"
  " WHERE transaction_id = $1 AND status = 'reversal_pending' RETURNING reversal_attempts");

/* No 0410: the next attempt is due $2 ms from now (the back-off). */
struct db_statement q_auth_reversal_retry = DB_STATEMENT("auth_reversal_retry", DB_REPEATABLE, 2,
  "UPDATE gateway.authorizations SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)"
  " WHERE transaction_id = $1 AND status = 'reversal_pending'");

/* Milliseconds until the sweeper has something to do (0 or less: now;
 * NULL: nothing is open): the next reversal due, or the next "sent" row to
 * outlive $1 seconds. */
struct db_statement q_auth_next_due = DB_STATEMENT("auth_next_due", DB_READ, 1,
  "SELECT ceil(extract(epoch FROM least("
  "         min(coalesce(next_attempt_at, '-infinity')) FILTER (WHERE status = 'reversal_pending'),"
  "         min(created_at) FILTER (WHERE status = 'sent') + make_interval(secs => $1::double precision))"
  "         - now()) * 1000)::bigint AS due_in_ms"
  "  FROM gateway.authorizations WHERE status IN ('sent', 'reversal_pending')");
