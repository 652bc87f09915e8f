/* terminal.h — the typed operations of the terminal's requests on a
 * transaction it made, one file each in cgi/gateway/db/: its view
 * (txn_view.c), its status while a ?wait= is held (txn_status.c) and its
 * cancel (txn_cancel.c); POST /v1/transactions is db/txn.h's. */
#ifndef PAYGW_DB_TERMINAL_H
#define PAYGW_DB_TERMINAL_H

#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>

/* GET /v1/transactions/{number}: the terminal's view. */
struct txn_view {
  bool found;
  char number[24], status[32], binding_code[16], currency[4];
  int64_t total, tax_total;
  char reference[256]; /* "" with has_reference false: none */
  bool has_reference, has_deadline, has_completed_at;
  char created_at[32], deadline[32], completed_at[32];
  char *items; /* JSON text, malloc'd: the caller frees */
  char approval_code[16], method[3], card_masked[24], response_code[40], outcome_reason[512];
  int installments;
  int64_t refunded, refundable; /* what its completed refunds gave back; what is left to refund (0 unless completed) */
};

/* One call of gateway.do_transaction_view (DB_REPEATABLE: a read but for an
 * expiry).  DB_ONE_ROW with *out (found false for none, or another
 * merchant's), or an error. */
enum db_status db_txn_view(struct db *db, const char *number, int64_t merchant_id, struct txn_view *out);

/* The status alone, polled while a ?wait= is held: DB_ONE_ROW, DB_NO_ROWS,
 * or an error. */
enum db_status db_txn_status(struct db *db, const char *number, int64_t merchant_id, char status[32]);

/* POST .../cancel. */
enum cancel_outcome { CANCEL_CANCELED, CANCEL_SIGN, CANCEL_UNKNOWN_TXN, CANCEL_WRONG_STATE };
struct cancel_out {
  enum cancel_outcome outcome;
  char txn_status[32], user_id[40];
};
int cancel_outcome_of(const char *text);

/* One call of gateway.do_cancel; without message (NULL) it answers
 * CANCEL_SIGN with the user to name in the completion (DB_REPEATABLE: sent
 * again, the message in the mailbox says it was done).  DB_ONE_ROW with
 * *out, or an error. */
enum db_status db_txn_cancel(struct db *db, const char *number, int64_t merchant_id, const char *reason,
                             const char *message, const char *signature, struct cancel_out *out);

#endif
