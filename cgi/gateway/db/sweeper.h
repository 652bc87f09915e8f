/* sweeper.h — the typed operations of paygw-sweeper (sweep.c,
 * sweeper_main.c), one file each in cgi/gateway/db/: the lock that makes
 * it one of a kind (sweeper_lock.c), the authorizations a dead worker left
 * "sent" (auth_abandoned.c; each is then failed with db_auth_fail of
 * db/authorization.h), the reversals claimed, acknowledged or put off
 * (auth_reversal_claim.c, auth_reversed.c, auth_reversal_retry.c), when
 * the next falls due (auth_next_due.c) and the housekeeping
 * (txn_expire_overdue.c, idem_forget.c).  No caller names a column. */
#ifndef PAYGW_DB_SWEEPER_H
#define PAYGW_DB_SWEEPER_H

#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>

/* Takes the session-level advisory lock `key` (decimal bigint) if free:
 * held until the connection ends, so a sweeper that dies or loses its
 * connection frees it.  DB_ONE_ROW with *got, or an error. */
enum db_status db_sweeper_lock(struct db *db, const char *key, bool *got);

/* What a reversal (0400/0401) of an authorization needs, and whose it is
 * (no card number: a reversal carries none). */
struct reversal_row {
  char txn_id[24], number[24], user_id[40], device_id[24];
  int stan;
  char transmission_time[11], terminal_code[9];
  int64_t total;
  char currency[4], merchant_code[33];
  int attempt; /* db_auth_reversal_claim: this attempt's number, 1 for the 0400 */
};

/* For the db/ files whose statement answers the columns transaction_id,
 * number, user_id, device_id, stan, transmission_time, terminal_code,
 * total, currency, merchant_code: *r from row i (attempt left 0). */
void db_reversal_row_read(PGresult *res, int i, struct reversal_row *r);

#define SWEEP_ABANDONED_MAX 20
#define SWEEP_LEASES_MAX 64

/* Up to SWEEP_ABANDONED_MAX authorizations still "sent" after age_s
 * seconds (the issuer time-out and a margin: a worker died between send and
 * answer), oldest first, into rows[], *n of them.  A read: each is then
 * failed with db_auth_fail, whose guards skip one settled meanwhile.
 * DB_ROWS, DB_ONE_ROW, DB_NO_ROWS or an error. */
enum db_status db_auth_abandoned(struct db *db, long age_s, struct reversal_row rows[SWEEP_ABANDONED_MAX], int *n);

/* One call of gateway.do_claim_reversal: the reversal due longest,
 * claimed for one attempt (counted, and leased lease_ms[attempt - 1] ms,
 * the last of the n_leases for any later attempt), committed before it is
 * sent.  DB_ONE_ROW with *out, DB_NO_ROWS when none is due, or an error
 * (DB_CHANGE: after a lost answer the row, if claimed, waits out its
 * lease). */
enum db_status db_auth_reversal_claim(struct db *db, const long *lease_ms, int n_leases, struct reversal_row *out);

/* The 0410 came: reversed, nothing more to send.  DB_ONE_ROW, DB_NO_ROWS
 * (not pending: nothing changed) or an error. */
enum db_status db_auth_reversed(struct db *db, const char *txn_id);

/* No 0410: the next attempt is due retry_ms from now (the back-off). */
enum db_status db_auth_reversal_retry(struct db *db, const char *txn_id, long retry_ms);

/* Milliseconds until the sweeper has something to do (0 or less: now):
 * the next reversal due, or the next "sent" row to outlive age_s seconds.
 * DB_ONE_ROW with *due_ms, DB_NO_ROWS when nothing is open, or an error. */
enum db_status db_auth_next_due(struct db *db, long age_s, long *due_ms);

/* Up to 200 waiting transactions whose time has run out, expired;
 * *expired says how many (0 on an error). */
enum db_status db_txn_expire_overdue(struct db *db, long *expired);

/* Merchants' Idempotency-Key values older than 48 hours forgotten. */
enum db_status db_idem_forget(struct db *db);

#endif
