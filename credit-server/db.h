/* db.h — the credit server's PostgreSQL side: a small pool of connections
 * (each with every statement prepared once), and the two transactions that
 * change money: authorize (0100) and reverse (0400/0401).  Each runs as one
 * database transaction holding the account row (SELECT ... FOR UPDATE). */
#ifndef PAYGW_CREDIT_DB_H
#define PAYGW_CREDIT_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "credit-server/credit.h"

/* Opens `size` connections to uri.  Returns 0 or -1 (logged). */
int db_pool_open(const char *uri, int size);
void db_pool_close(void);

/* The outcome of a 0100 as answered (new, or the first answer again). */
struct authorize_result {
  char response_code[3];
  char approval_code[7];         /* "" unless approved */
  bool duplicate;                /* the same STAN, terminal and time was seen before */
  unsigned differs;              /* a key match that is another request (CREDIT_DIFF_*): answered 94 */
  bool charged;                  /* this call moved the balance */
};

/* Decides and records a 0100 (rq->transmitted_at set) in one transaction:
 * under a key already held it charges nothing and answers the stored answer
 * when rq is that request again, 94 when its card, amount, merchant or
 * currency differ.  Returns 0; -1 when the
 * database refused it (nothing was recorded: the caller answers 96); -2 when
 * the connection broke and whether it was recorded is unknown (the caller
 * sends no answer: the acquirer times out and reverses, which undoes a
 * recorded charge or voids the unrecorded 0100). */
int db_authorize(const struct credit_request *rq, long now, struct authorize_result *out);

/* The key of the original 0100 as in field 90, and the reversal's fields. */
struct reversal_request {
  char stan[7], transmission_time[11], terminal_id[9];
  long transmitted_at;           /* the original's field 7 as a full time */
  char merchant_code[16], currency[4];
  int64_t amount;
};

enum reversal_outcome {
  REVERSAL_UNDONE,          /* an approved authorization was undone now: 00 */
  REVERSAL_ALREADY,         /* already reversed, or was declined: 00, nothing to undo */
  REVERSAL_NOT_FOUND,       /* never seen: recorded void so a late original is refused: 25 */
};

/* Undoes an approved authorization exactly once.  Returns 0 with *outcome,
 * or -1 when the database failed. */
int db_reverse(const struct reversal_request *rv, enum reversal_outcome *outcome);

/* --- plumbing shared by db_*.c and enrol.c ------------------------------ */

/* DB_REPLAN: a migration changed a result type under the prepared
 * statements; db_transaction prepares them again and retries. */
/* DB_UNKNOWN (from db_transaction only): the connection broke during a
 * COMMIT and could not be re-opened, so whether it took effect is unknown. */
enum db_rc { DB_OK = 0, DB_HARD = -1, DB_RETRY = -2, DB_REPLAN = -3, DB_UNKNOWN = -4 };

/* Runs a plain (unprepared) statement with parameters; NULL on a status
 * other than `want` (logged, result cleared). */
PGresult *db_exec(PGconn *conn, const char *sql, int n, const char *const *params, ExecStatusType want);

/* Runs prepared statement `name`.  NULL on failure, with *rc set to
 * DB_RETRY for a serialization failure or deadlock, else DB_HARD. */
PGresult *db_run(PGconn *conn, const char *name, int n, const char *const *params, ExecStatusType want,
                 enum db_rc *rc);

/* BEGIN, fn, COMMIT on a pooled connection; ROLLBACK and retry (bounded)
 * when fn or COMMIT returns DB_RETRY.  fn may return DB_OK after having
 * decided to roll back by itself (it then runs ROLLBACK).  Returns DB_OK or
 * DB_HARD. */
typedef enum db_rc (*db_txn_fn)(PGconn *conn, void *ctx);
enum db_rc db_transaction(const char *what, db_txn_fn fn, void *ctx);

#endif
