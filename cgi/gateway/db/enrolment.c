/* enrolment.c — reading the enrolment tables (figs 7-10) during a payment. */
#include "gateway/db/queries.h"

/* A user ID that can pay: user, card, device and subscriber all active. */
#define USER_FOR_PAYMENT \
  "SELECT u.user_id, u.card_id, u.device_id, d.code AS device_code, encode(d.public_key, 'hex') AS public_key" \
  "  FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id" \
  "  JOIN gateway.devices d ON d.id = u.device_id JOIN gateway.subscribers s ON s.id = u.subscriber_id" \
  " WHERE u.user_id = $1 AND u.status = 'active' AND c.status = 'active' AND d.status = 'active'" \
  "   AND s.status = 'active'"

struct db_statement q_user_for_payment = { "user_for_payment", USER_FOR_PAYMENT, 1, 0 };

/* The same for a new transaction, with the user's row locked until the
 * commit: concurrent POST /v1/transactions for one user ID take turns, so
 * each counts the open transactions the one before it committed
 * (q_user_open_count, a statement of its own: a new snapshot after the
 * wait).  NO KEY UPDATE leaves the foreign-key checks of other inserts free. */
struct db_statement q_user_for_new_txn = {
  "user_for_new_txn", USER_FOR_PAYMENT " FOR NO KEY UPDATE OF u", 1, 0
};

/* All active ranges: matched in the worker, so no card number is ever a
 * query parameter. */
struct db_statement q_issuer_ranges = {
  "issuer_ranges",
  "SELECT r.low, r.high, r.issuer_id FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id"
  " WHERE i.status = 'active'",
  0, 0
};

struct db_statement q_merchant_methods = {
  "merchant_methods",
  "SELECT lump_sum, installments, bonus, partial_bonus, revolving,"
  "       array_to_string(installment_counts, ',') AS counts"
  "  FROM gateway.merchant_methods WHERE merchant_id = $1 AND issuer_id = $2",
  2, 0
};
