/* transactions.c — statements on gateway.transactions.  Every state change is
 * a guarded UPDATE naming the state it expects, so a replayed or raced
 * request finds no row and changes nothing. */
#include "gateway/db/queries.h"
#include "gateway/timefmt.h"

#define WAITING "('awaiting_device', 'awaiting_confirmation', 'awaiting_method')"

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

/* One transaction with what the steps joined to it (the merchant's and
 * terminal's codes, the card), unlocked; `overdue` says its waiting state
 * has ended. */
struct db_statement q_txn_read = DB_STATEMENT("txn_read", DB_READ, 1,
  "SELECT " TXN_COLUMNS ", m.code AS merchant_code, m.name AS merchant_name, m.shop_name,"
  "       tm.code AS terminal_code, tm.iso_terminal_id, c.label AS card_label, c.pan_masked AS card_pan_masked,"
  "       encode(c.pan_ciphertext, 'hex') AS card_ciphertext, c.key_id AS card_key_id, c.pan_aad AS card_aad,"
  "       c.pan_lookup AS card_lookup, c.expiry AS card_expiry"
  "  FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id"
  "  JOIN gateway.terminals tm ON tm.id = t.terminal_id JOIN gateway.cards c ON c.id = t.card_id"
  " WHERE t.number = $1");

struct db_statement q_txn_expire = DB_STATEMENT("txn_expire", DB_REPEATABLE, 1,
  "UPDATE gateway.transactions SET status = 'expired', deadline = NULL, updated_at = now(),"
  "   outcome_reason = 'not answered in time'"
  " WHERE id = $1 AND status IN " WAITING " AND deadline < now()");

/* The end of a transaction: $2 the final state, guarded by $3 the state it
 * must still be in. */
struct db_statement q_txn_finish = DB_STATEMENT("txn_finish", DB_CHANGE, 6,
  "UPDATE gateway.transactions SET status = $2, deadline = NULL, response_code = $4, outcome_reason = $5,"
  "   approval_code = $6, completed_at = now(), updated_at = now()"
  " WHERE id = $1 AND status = $3");

/* The sweep: waiting transactions whose time has run out. */
struct db_statement q_txn_expire_overdue = DB_STATEMENT("txn_expire_overdue", DB_REPEATABLE, 0,
  "UPDATE gateway.transactions SET status = 'expired', deadline = NULL, updated_at = now(),"
  "   outcome_reason = 'not answered in time'"
  " WHERE id IN (SELECT id FROM gateway.transactions WHERE status IN " WAITING " AND deadline < now()"
  "              ORDER BY deadline LIMIT 200 FOR UPDATE SKIP LOCKED)");
