/* enrolment.c — reading the enrolment tables (figs 7-10) during a payment. */
#include "gateway/db/queries.h"

/* A user ID that can pay: user, card, device and subscriber all active. */
#define USER_FOR_PAYMENT \
  "SELECT u.user_id, u.card_id, u.device_id, d.code AS device_code, encode(d.public_key, 'hex') AS public_key" \
  "  FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id" \
  "  JOIN gateway.devices d ON d.id = u.device_id JOIN gateway.subscribers s ON s.id = u.subscriber_id" \
  " WHERE u.user_id = $1 AND u.status = 'active' AND c.status = 'active' AND d.status = 'active'" \
  "   AND s.status = 'active'"

struct db_statement q_user_for_payment = DB_STATEMENT("user_for_payment", DB_READ, 1,
  USER_FOR_PAYMENT);

/* All active ranges: matched in the worker, so no card number is ever a
 * query parameter. */
struct db_statement q_issuer_ranges = DB_STATEMENT("issuer_ranges", DB_READ, 0,
  "SELECT r.low, r.high, r.issuer_id FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id"
  " WHERE i.status = 'active'");

struct db_statement q_merchant_methods = DB_STATEMENT("merchant_methods", DB_READ, 2,
  "SELECT lump_sum, installments, bonus, partial_bonus, revolving,"
  "       array_to_string(installment_counts, ',') AS counts"
  "  FROM gateway.merchant_methods WHERE merchant_id = $1 AND issuer_id = $2");

/* Issue 6: the status of every enrolment row the payment of transaction $1
 * rests on, read in the database transaction that would move it to
 * authorizing.  The shopper's rows are locked (FOR SHARE) until that commit,
 * so a `paygw-admin ... disable` either commits before this read (and the
 * payment is declined) or waits until the authorization is recorded (and
 * the payment began before the disable).  The shop's and the issuer's rows,
 * which every payment of a shop shares, are read as committed, not locked. */
struct db_statement q_txn_parties = DB_STATEMENT("txn_parties", DB_READ, 1,
  "SELECT c.status AS card_status, u.status AS user_status, d.status AS device_status,"
  "       s.status AS subscriber_status, i.status AS issuer_status, m.status AS merchant_status,"
  "       tm.status AS terminal_status"
  "  FROM gateway.transactions t JOIN gateway.users u ON u.user_id = t.user_id"
  "  JOIN gateway.cards c ON c.id = t.card_id JOIN gateway.devices d ON d.id = t.device_id"
  "  JOIN gateway.subscribers s ON s.id = u.subscriber_id JOIN gateway.issuers i ON i.id = t.issuer_id"
  "  JOIN gateway.merchants m ON m.id = t.merchant_id JOIN gateway.terminals tm ON tm.id = t.terminal_id"
  " WHERE t.id = $1 FOR SHARE OF c, u, d, s");
