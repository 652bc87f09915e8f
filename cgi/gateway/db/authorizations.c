/* authorizations.c — the 0100s sent to the credit server, recorded before
 * they are sent (exactly once: answered, or reversed). */
#include "gateway/db/queries.h"

struct db_statement q_auth_record = {
  "auth_record",
  "INSERT INTO gateway.authorizations (transaction_id, user_id, stan, transmission_time, terminal_code)"
  " VALUES ($1, $2, nextval('gateway.stan_seq'), $3, $4) RETURNING stan",
  4, 0
};

/* The issuer's answer recorded, the payment ended and the handset told ($7
 * message, $8 signature), in one statement: a row comes back only when the
 * authorization was still "sent" and the transaction "authorizing". */
struct db_statement q_auth_outcome = {
  "auth_outcome",
  "WITH a AS (UPDATE gateway.authorizations SET status = 'answered', response_code = $2, approval_code = $3,"
  "             answered_at = now()"
  "           WHERE transaction_id = $1 AND status = 'sent' RETURNING transaction_id),"
  " t AS (UPDATE gateway.transactions SET status = $4, deadline = NULL, response_code = $2, outcome_reason = $5,"
  "         approval_code = $6, completed_at = now(), updated_at = now()"
  "       WHERE id = (SELECT transaction_id FROM a) AND status = 'authorizing' RETURNING id, device_id, user_id)"
  " INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature)"
  " SELECT device_id, user_id, id, 'completion', $7, $8 FROM t RETURNING id",
  8, 0
};

struct db_statement q_auth_reversal_pending = {
  "auth_reversal_pending",
  "UPDATE gateway.authorizations SET status = 'reversal_pending' WHERE transaction_id = $1 AND status = 'sent'",
  1, 0
};

struct db_statement q_auth_reversed = {
  "auth_reversed",
  "UPDATE gateway.authorizations SET status = 'reversed', reversed_at = now(),"
  "   reversal_attempts = reversal_attempts + $2"
  " WHERE transaction_id = $1 AND status = 'reversal_pending'",
  2, 0
};

struct db_statement q_auth_reversal_tried = {
  "auth_reversal_tried",
  "UPDATE gateway.authorizations SET reversal_attempts = reversal_attempts + $2"
  " WHERE transaction_id = $1 AND status = 'reversal_pending'",
  2, 0
};

/* The recovery sweep: authorizations sent but never answered (a worker died
 * between send and answer) and reversals not yet acknowledged. */
struct db_statement q_auth_unresolved = {
  "auth_unresolved",
  "SELECT a.transaction_id, a.user_id, a.stan, a.transmission_time, a.terminal_code, a.status,"
  "       a.reversal_attempts, t.number, t.total, t.currency, t.device_id, m.code AS merchant_code"
  "  FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id"
  "  JOIN gateway.merchants m ON m.id = t.merchant_id"
  " WHERE a.status IN ('sent', 'reversal_pending') AND a.created_at < now() - make_interval(secs => $1::double precision)"
  " ORDER BY a.created_at LIMIT 20 FOR UPDATE OF a SKIP LOCKED",
  1, 0
};
