/* queries.h — the gateway's database statements, one file each under db/. */
#ifndef PAYGW_QUERIES_H
#define PAYGW_QUERIES_H

#include "db/db.h"

/* SELECT 1: DB_ONE_ROW when the database answers. */
enum db_status db_health_ping(struct db *db);

struct terminal_row {
  long long terminal_id, merchant_id;
  char credential_hash_hex[65];
  char merchant_code[33];
  char merchant_name[324], shop_name[324];   /* up to 80 characters of UTF-8 */
};

/* The active terminal `code` of an active merchant: DB_ONE_ROW or DB_NO_ROWS. */
enum db_status db_terminal_by_code(struct db *db, const char *code, struct terminal_row *row);

/* The payment flow's statements, one group per table (transactions.c,
 * enrolment.c, idempotency.c, authorizations.c, sweeper.c); handlers run them
 * with db_exec and read columns by name. */
extern struct db_statement q_txn_read, q_txn_expire, q_txn_finish, q_txn_expire_overdue;
extern struct db_statement q_issuer_ranges;
extern struct db_statement q_idem_forget;
extern struct db_statement q_auth_outcome, q_auth_reversal_pending, q_auth_reversed,
    q_auth_abandoned, q_auth_reversal_due, q_auth_reversal_claim, q_auth_reversal_retry, q_auth_next_due;
extern struct db_statement q_sweeper_lock, q_sweeper_wake;

#endif
