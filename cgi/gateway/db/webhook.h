/* webhook.h — the typed operations of paygw-webhooks (webhooks_main.c,
 * webhook_send.c), one file each in cgi/gateway/db/: the next due event
 * claimed for one attempt (webhook_claim.c), what came of it recorded
 * (webhook_result.c), and when the next falls due (webhook_next_due.c).
 * The events are queued by the database itself, in the statement that ends
 * a transaction (trigger webhook_enqueue, sql/0017).  No caller names a
 * column. */
#ifndef PAYGW_DB_WEBHOOK_H
#define PAYGW_DB_WEBHOOK_H

#include "db/db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_LEASES_MAX 64
#define WEBHOOK_URL_MAX 2001
#define WEBHOOK_SEALED_MAX 128

/* One event claimed for one attempt, with what its POST needs. */
struct webhook_claim {
  int64_t id;
  char event_id[40], event_type[24];
  char *body; /* malloc'd: db_webhook_claim_free */
  int attempt;
  char url[WEBHOOK_URL_MAX];                /* "" when the merchant has none now */
  unsigned char sealed[WEBHOOK_SEALED_MAX]; /* the merchant's secret as sealed (cardkeys_open) */
  size_t sealed_len;                        /* 0: none */
  int key_id;
  int64_t merchant_id;
  char merchant_code[16], txn_number[24];
};

/* One call of gateway.do_claim_webhook: the event due longest, claimed for
 * one attempt (counted, leased lease_ms[attempt - 1] ms, the last of the
 * n_leases for any later attempt), committed before it is sent.
 * DB_ONE_ROW with *out (db_webhook_claim_free it), DB_NO_ROWS when none is
 * due, or an error (DB_CHANGE: after a lost answer the event, if claimed,
 * waits out its lease). */
enum db_status db_webhook_claim(struct db *db, const long *lease_ms, int n_leases, struct webhook_claim *out);
void db_webhook_claim_free(struct webhook_claim *c);

/* What came of one attempt. */
struct webhook_result_in {
  int64_t id;
  int attempt;
  bool delivered;    /* a 2xx came */
  long http_status;  /* 0: no answer */
  const char *error; /* why not (NULL when delivered) */
  long retry_ms;     /* the back-off, when not delivered */
  long give_up_s;    /* give up once queued this long ago */
};
enum webhook_outcome { WEBHOOK_DELIVERED, WEBHOOK_RETRY, WEBHOOK_GAVE_UP, WEBHOOK_STALE };

/* One call of gateway.do_webhook_result.  DB_ONE_ROW with *outcome, or an
 * error (DB_REPEATABLE: sent again it changes nothing more than once). */
enum db_status db_webhook_result(struct db *db, const struct webhook_result_in *in, enum webhook_outcome *outcome);

/* Milliseconds until the next pending event falls due (0 when one is due
 * now) into *due_ms: DB_ONE_ROW, DB_NO_ROWS when none is pending (then
 * *due_ms is -1), or an error. */
enum db_status db_webhook_next_due(struct db *db, long *due_ms);

#endif
