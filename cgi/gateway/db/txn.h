/* txn.h — the typed operations of the payment flow, one file each in
 * cgi/gateway/db/ (txn_create.c, ...): each is one call of a gateway.do_*
 * function of sql/0014_gateway_do.sql, builds its own parameters and reads
 * its own result, so no handler names a column or a parameter. */
#ifndef PAYGW_DB_TXN_H
#define PAYGW_DB_TXN_H

#include "db/db.h"

#include <stdint.h>

/* POST /v1/transactions: what the handler made (number, codes, the signed
 * payment command, the answer kept for an Idempotency-Key replay). */
struct txn_new {
  int64_t terminal_id, merchant_id;
  const char *rate_interval_s, *rate_tolerance_s; /* rate_limit_params */
  const char *idem_key, *request_hash;            /* NULL, NULL without a key */
  const char *user_id;
  const char *device_code; /* the handset the command names; NULL: not known yet */
  long max_open;
  const char *number, *deadline, *currency;
  int64_t total, tax_total;
  const char *items, *reference, *binding_code, *challenge;
  const char *command, *signature, *answer;
};

enum txn_create_outcome {
  TXN_CREATED,      /* stored (or found stored: a re-sent call) */
  TXN_SIGN_AGAIN,   /* the command must name device_code: sign it again and call again */
  TXN_RATE_LIMITED, /* wait_s */
  TXN_REPLAYED,     /* replay_status, replay_body */
  TXN_CONFLICT,     /* the key was used with another request */
  TXN_UNKNOWN_USER,
  TXN_TOO_MANY_OPEN, /* open */
  TXN_KEY_LOST       /* the key's row went between claim and read: try again */
};

struct txn_created {
  enum txn_create_outcome outcome;
  char device_code[33];
  char wait_s[32];
  long open;
  int replay_status;
  char *replay_body; /* malloc'd (TXN_REPLAYED), the caller frees */
};

/* Maps gateway.do_create_transaction's `outcome` text; -1 for one it does
 * not know (a BUG: the function and this file disagree). */
int txn_create_outcome_of(const char *text);

/* One call of gateway.do_create_transaction (DB_REPEATABLE: sent again
 * after a lost answer, the number says it was made).  DB_ONE_ROW with *out
 * filled, or an error status. */
enum db_status db_txn_create(struct db *db, const struct txn_new *in, struct txn_created *out);

#endif
