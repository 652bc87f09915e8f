/* refund.h (db) — the typed operations of refunds and voids (issue 15,
 * sql/0023 and 0025), one file each in cgi/gateway/db/: a payment's
 * completion time for the void's day (refund_void_facts.c), the refund
 * made (refund_create.c, gateway.do_create_refund), read (refund_read.c,
 * refund_list.c, refund_status.c; a payment's own totals come with its
 * view, db_txn_view), answered
 * (refund_answer.c), put off (refund_retry.c) and, by the sweeper,
 * claimed for a repeat or given up (refund_claim.c, refund_next_due.c).
 * No caller names a column. */
#ifndef PAYGW_DB_REFUND_H
#define PAYGW_DB_REFUND_H

#include "db/db.h"
#include "gateway/refund.h"

#include <stdbool.h>
#include <stdint.h>

/* The columns of gateway.refund_facts from row i of res into *r. */
void db_refund_row_read(const PGresult *res, int i, struct refund_row *r);

/* When the merchant's payment `number` completed and the database's time
 * now (seconds since the epoch): DB_ONE_ROW with *completed (false when it
 * has not completed), DB_NO_ROWS when there is no such payment of this
 * merchant, or an error. */
enum db_status db_refund_void_facts(struct db *db, const char *number, int64_t merchant_id, bool *completed,
                                    int64_t *completed_at, int64_t *now);

struct refund_new {
  int64_t terminal_id, merchant_id;
  const char *number, *idem_key, *request_hash, *refund_id;
  int64_t amount;
  const char *reason; /* NULL: none */
  bool void_window;   /* refund_void_window_open */
  long lease_ms;      /* attempt 1's lease */
  const char *wake;   /* the sweeper's channel */
};

enum refund_create_outcome {
  REFUND_CREATED,
  REFUND_REPLAYED,
  REFUND_CONFLICT,
  REFUND_UNKNOWN_TXN,
  REFUND_WRONG_STATE,
  REFUND_EXCEEDS,
  REFUND_KEY_LOST
};

struct refund_created {
  enum refund_create_outcome outcome;
  char txn_status[32];
  int64_t refundable;
  char id[24]; /* gateway.refunds.id (decimal): CREATED, REPLAYED */
};

/* One call of gateway.do_create_refund (DB_CHANGE: a lost answer is in
 * doubt, and the merchant's retry with the same key finds what was made).
 * DB_ONE_ROW with *out, or an error. */
enum db_status db_refund_create(struct db *db, const struct refund_new *in, struct refund_created *out);

/* Refund `id` (gateway.refunds.id, decimal) into *r: DB_ONE_ROW, DB_NO_ROWS
 * or an error. */
enum db_status db_refund_read(struct db *db, const char *id, struct refund_row *r);

/* The merchant's payment `number`, its refunds (oldest first, only
 * refund_id's when not NULL) and its totals. */
#define REFUND_LIST_MAX 200
struct refund_list {
  bool found; /* the payment, of this merchant */
  int64_t refunded, refundable;
  int n;
  struct refund_row *rows; /* n of them, malloc'd: the caller frees */
};
enum db_status db_refund_list(struct db *db, const char *number, int64_t merchant_id, const char *refund_id,
                              struct refund_list *out);

/* Refund refund_id's status alone, polled while a ?wait= is held:
 * DB_ONE_ROW, DB_NO_ROWS, or an error. */
enum db_status db_refund_status(struct db *db, const char *number, int64_t merchant_id, const char *refund_id,
                                char status[32]);

/* The credit server's answer (gateway.do_refund_answer): code 00 needs the
 * signed message saying `refunded`. */
struct refund_answer_in {
  const char *refund_id, *response_code, *reason; /* reason: a decline's */
  int64_t refunded;
  const char *message, *signature; /* NULL: the answer says what to sign (SIGN_AGAIN) */
};
enum refund_answer_outcome {
  REFUND_ANSWER_COMPLETED,
  REFUND_ANSWER_DECLINED,
  REFUND_ANSWER_SIGN_AGAIN,
  REFUND_ANSWER_SETTLED
};
struct refund_answer_out {
  enum refund_answer_outcome outcome;
  int64_t refunded;
};
/* DB_REPEATABLE (sent again, a recorded answer is found settled).
 * DB_ONE_ROW with *out, or an error. */
enum db_status db_refund_answer(struct db *db, const struct refund_answer_in *in, struct refund_answer_out *out);

/* The answer recorded in one database transaction (refund_record.c): a
 * decline at once; a completion first without its message, which locks
 * the payment and says what it will have given back, then with the
 * handset's message that seal (called between the two, with the lock
 * held) signs for that figure — so concurrent completions of one payment
 * cannot make the message wrong.  seal returns 0 with *message malloc'd
 * (freed here), or -1.  DB_ONE_ROW with *out (never SIGN_AGAIN), or an
 * error. */
typedef int (*refund_seal_fn)(void *ctx, int64_t refunded, char **message, char sig[90]);
struct refund_record_in {
  const char *refund_id, *response_code, *reason;
  refund_seal_fn seal;
  void *seal_ctx;
};
enum db_status db_refund_record(struct db *db, const struct refund_record_in *in, struct refund_answer_out *out);

/* No answer to attempt `attempt`: the next is due retry_ms from now (the
 * back-off), unless another attempt was claimed meanwhile. */
enum db_status db_refund_retry(struct db *db, const char *refund_id, int attempt, long retry_ms);

/* The sweeper's claim (gateway.do_claim_refund): refunds pending for
 * give_up_s or more given up (*gave_up of them), then the one due longest
 * counted and leased lease_ms[attempt - 1] ms (the last for any later
 * attempt): DB_ONE_ROW with its id (decimal; "" when none is due), or an
 * error (DB_CHANGE). */
enum db_status db_refund_claim(struct db *db, const long *lease_ms, int n_leases, long give_up_s, char id[24],
                               long *gave_up);

/* Milliseconds until the next pending refund is due (0 or less: now):
 * DB_ONE_ROW, DB_NO_ROWS when none is pending, or an error. */
enum db_status db_refund_next_due(struct db *db, long *due_ms);

#endif
