/* transactions.c — statements on gateway.transactions.  Every state change is
 * a guarded UPDATE naming the state it expects, so a replayed or raced
 * request finds no row and changes nothing. */
#include "gateway/db/queries.h"
#include "gateway/timefmt.h"

#define WAITING "('awaiting_device', 'awaiting_confirmation', 'awaiting_method')"

/* A new transaction, its signed payment command in the mailbox ($15 text,
 * $16 signature) and, with an Idempotency-Key ($18), the answer stored for
 * replays ($17): one statement, one round trip. */
struct db_statement q_txn_insert = {
  "txn_insert",
  "WITH t AS (INSERT INTO gateway.transactions (number, user_id, card_id, device_id, merchant_id, terminal_id,"
  "             deadline, currency, total, tax_total, items, reference, binding_code, challenge)"
  "           VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9, $10, $11::jsonb, $12, $13, $14)"
  "           RETURNING id, device_id, user_id),"
  " m AS (INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature, expires_at)"
  "       SELECT device_id, user_id, id, 'payment_command', $15, $16, $7::timestamptz FROM t RETURNING id),"
  " k AS (UPDATE gateway.idempotency_keys SET response_status = 201, response_body = $17"
  "       WHERE terminal_id = $6 AND key = $18 RETURNING 1)"
  " SELECT t.id, (SELECT count(*) FROM m) AS messages, (SELECT count(*) FROM k) AS keys FROM t",
  18, 0
};

/* The user's open transactions (issue 4): not ended and not past their
 * deadline (an overdue one is expired by the sweep or the next touch).
 * The status list is transactions_open_idx's (sql/0009). */
struct db_statement q_user_open_count = {
  "user_open_count",
  "SELECT count(*) AS open FROM gateway.transactions"
  " WHERE user_id = $1 AND status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method', 'authorizing')"
  "   AND (status = 'authorizing' OR deadline >= now())",
  1, 0
};

/* Everything a handler needs about one transaction, locked for the rest of
 * the database transaction; `overdue` says its waiting state has ended. */
#define TXN_COLUMNS \
  "t.id, t.number, t.status, t.user_id, t.card_id, t.device_id, t.merchant_id, t.terminal_id, t.issuer_id," \
  " t.currency, t.total, t.tax_total, t.items, t.reference, t.binding_code, t.challenge, t.challenge_used," \
  " encode(t.session_hash, 'hex') AS session_hash, t.method, t.installments, t.approval_code, t.response_code," \
  " t.outcome_reason, t.card_masked," \
  " " SQL_RFC3339("t.created_at") " AS created_at, " SQL_RFC3339("t.deadline") " AS deadline," \
  " " SQL_RFC3339("t.completed_at") " AS completed_at," \
  " (t.status IN " WAITING " AND t.deadline < now()) AS overdue"

/* The lock also reads what the handset's steps need from other tables (the
 * card's ciphertext with what it is bound to, the merchant's and terminal's
 * codes), saving a round trip each; only the transaction row is locked. */
struct db_statement q_txn_lock = {
  "txn_lock",
  "SELECT " TXN_COLUMNS ", m.code AS merchant_code, m.name AS merchant_name, m.shop_name,"
  "       tm.code AS terminal_code, tm.iso_terminal_id, c.label AS card_label, c.pan_masked AS card_pan_masked,"
  "       encode(c.pan_ciphertext, 'hex') AS card_ciphertext, c.key_id AS card_key_id, c.pan_aad AS card_aad,"
  "       c.pan_lookup AS card_lookup, c.expiry AS card_expiry"
  "  FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id"
  "  JOIN gateway.terminals tm ON tm.id = t.terminal_id JOIN gateway.cards c ON c.id = t.card_id"
  " WHERE t.number = $1 FOR UPDATE OF t",
  1, 0
};

/* The same row without the lock, for reads: a row lock would make a GET a
 * writing transaction with a commit to flush. */
struct db_statement q_txn_read = {
  "txn_read",
  "SELECT " TXN_COLUMNS ", m.code AS merchant_code, m.name AS merchant_name, m.shop_name,"
  "       tm.code AS terminal_code, tm.iso_terminal_id, c.label AS card_label, c.pan_masked AS card_pan_masked,"
  "       encode(c.pan_ciphertext, 'hex') AS card_ciphertext, c.key_id AS card_key_id, c.pan_aad AS card_aad,"
  "       c.pan_lookup AS card_lookup, c.expiry AS card_expiry"
  "  FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id"
  "  JOIN gateway.terminals tm ON tm.id = t.terminal_id JOIN gateway.cards c ON c.id = t.card_id"
  " WHERE t.number = $1",
  1, 0
};

struct db_statement q_txn_for_merchant = {
  "txn_for_merchant",
  "SELECT " TXN_COLUMNS " FROM gateway.transactions t WHERE t.number = $1 AND t.merchant_id = $2",
  2, 0
};

struct db_statement q_txn_status = {
  "txn_status",
  "SELECT status FROM gateway.transactions WHERE number = $1 AND merchant_id = $2",
  2, 0
};

struct db_statement q_txn_expire = {
  "txn_expire",
  "UPDATE gateway.transactions SET status = 'expired', deadline = NULL, updated_at = now(),"
  "   outcome_reason = 'not answered in time'"
  " WHERE id = $1 AND status IN " WAITING " AND deadline < now()",
  1, 0
};

struct db_statement q_txn_device_authed = {
  "txn_device_authed",
  "UPDATE gateway.transactions SET status = 'awaiting_confirmation', challenge_used = true,"
  "   session_hash = decode($2, 'hex'), deadline = $3::timestamptz, updated_at = now()"
  " WHERE id = $1 AND status = 'awaiting_device' AND NOT challenge_used AND deadline >= now()",
  3, 0
};

struct db_statement q_txn_confirmed = {
  "txn_confirmed",
  "UPDATE gateway.transactions SET status = 'awaiting_method', issuer_id = $2, deadline = $3::timestamptz,"
  "   updated_at = now()"
  " WHERE id = $1 AND status = 'awaiting_confirmation' AND deadline >= now()",
  3, 0
};

struct db_statement q_txn_authorizing = {
  "txn_authorizing",
  "UPDATE gateway.transactions SET status = 'authorizing', method = $2, installments = $3, card_masked = $4,"
  "   deadline = NULL, updated_at = now()"
  " WHERE id = $1 AND status = 'awaiting_method' AND deadline >= now()",
  4, 0
};

/* The end of a transaction: $2 the final state, guarded by $3 the state it
 * must still be in. */
struct db_statement q_txn_finish = {
  "txn_finish",
  "UPDATE gateway.transactions SET status = $2, deadline = NULL, response_code = $4, outcome_reason = $5,"
  "   approval_code = $6, completed_at = now(), updated_at = now()"
  " WHERE id = $1 AND status = $3",
  6, 0
};

/* The sweep: waiting transactions whose time has run out. */
struct db_statement q_txn_expire_overdue = {
  "txn_expire_overdue",
  "UPDATE gateway.transactions SET status = 'expired', deadline = NULL, updated_at = now(),"
  "   outcome_reason = 'not answered in time'"
  " WHERE id IN (SELECT id FROM gateway.transactions WHERE status IN " WAITING " AND deadline < now()"
  "              ORDER BY deadline LIMIT 200 FOR UPDATE SKIP LOCKED)",
  0, 0
};
