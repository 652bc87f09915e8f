/* ops.h — every database operation of the credit server, one typed
 * function per file of credit-server/db/ (docs/credit-server.md, "The
 * database"): each holds its statement, builds its parameters and reads its
 * result into the structs below.  Nothing outside credit-server/db/ builds
 * a parameter or names a column.  All return lib/db's enum db_status. */
#ifndef PAYGW_CREDIT_DB_OPS_H
#define PAYGW_CREDIT_DB_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/cardcrypt.h"
#include "credit-server/credit.h"
#include "db/db.h"

/* --- serving: one statement per message ---------------------------------- */

/* A 0100 for issuer.do_authorize (sql/0022). */
struct auth_request {
  const char *peer;                /* the key's peer: "acquirer" or "merchant-<code>" */
  const char *token_key_id;        /* a token 0100's field 60; NULL for the gateway's 0100 */
  const struct credit_request *rq; /* checked, with transmitted_at set (expiry "" for a token 0100) */
  const char *card_hash;           /* the card's lookup hash (hex): never the number in SQL */
  const char *approval_code;       /* 6 of 0-9A-Z, stored and answered only if approved */
  long now;                        /* the clock the expiry is judged at */
};

enum auth_outcome {
  AUTH_DECIDED,  /* recorded now (charged when approved) */
  AUTH_REPLAYED, /* the key holds this same request: its stored answer */
  AUTH_CONFLICT, /* the key holds another request: 94 */
};

struct auth_answer {
  enum auth_outcome outcome;
  char response_code[3];
  char approval_code[7]; /* "" unless approved */
  unsigned differs;      /* AUTH_CONFLICT: CREDIT_DIFF_* mask */
  bool charged;          /* this call moved the balance */
};

/* One 0100, decided and recorded in one statement (re-sendable: a call
 * sent again meets its own row and answers AUTH_REPLAYED).  DB_ONE_ROW
 * with *out; DB_IN_DOUBT when the answer was lost and could not be read
 * again; another negative status when nothing was done. */
enum db_status issuer_authorize(struct db *db, const struct auth_request *in, struct auth_answer *out);

/* One 0400/0401 from peer (issuer.do_reverse), re-sendable too.
 * DB_ONE_ROW with *outcome. */
enum db_status issuer_reverse(struct db *db, const char *peer, const struct reversal_request *in,
                              enum reversal_outcome *outcome);

/* A 0220/0221's answer (issuer.do_refund, sql/0024). */
struct refund_answer {
  enum refund_outcome outcome;
  char response_code[3]; /* 00, 13, 25; 94 for REFUND_CONFLICT */
};

/* One 0220/0221 from peer, re-sendable (a call sent again meets its own
 * row and answers REFUND_REPLAYED).  DB_ONE_ROW with *out. */
enum db_status issuer_refund(struct db *db, const char *peer, const struct refund_request *in,
                             struct refund_answer *out);

/* --- token sales (sql/0022) ------------------------------------------------ */

/* A 0600 for issuer.do_token_key_put: the key already sealed. */
struct token_key_new {
  const char *key_id, *number, *merchant_code, *currency;
  const char *expiry; /* timestamptz text */
  int64_t amount;
  const unsigned char *key_sealed;
  size_t key_sealed_len;
  int data_key_id;
  const char *card_hash; /* the opened number's lookup hash */
};

enum token_key_put_outcome {
  TOKEN_KEY_STORED,      /* 00 */
  TOKEN_KEY_SAME,        /* the key ID holds this content: compare the stored key (00 or 94) */
  TOKEN_KEY_CONFLICT,    /* other content under the key ID: 94 */
  TOKEN_KEY_NO_CARD,     /* no account has the number: 14 */
  TOKEN_KEY_NO_MERCHANT, /* 03 */
};

struct token_key_put_answer {
  enum token_key_put_outcome outcome;
  unsigned char stored_sealed[CARDCRYPT_SEAL_MAX + CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN]; /* TOKEN_KEY_SAME */
  size_t stored_sealed_len;
  int stored_data_key_id;
};

/* One 0600, re-sendable.  DB_ONE_ROW with *out. */
enum db_status issuer_token_key_put(struct db *db, const struct token_key_new *in, struct token_key_put_answer *out);

/* A stored token key as a token 0100 needs it. */
struct token_key_row {
  unsigned char key_sealed[CARDCRYPT_SEAL_MAX + CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN];
  size_t key_sealed_len;
  int data_key_id;
  char number[64], merchant_code[16], currency[4];
  int64_t amount;
};

/* The key under key_id: DB_ONE_ROW with *out, DB_NO_ROWS when none. */
enum db_status issuer_token_key_read(struct db *db, const char *key_id, struct token_key_row *out);

/* Whether the issuer takes payments from merchant_code (a POS's
 * certificate names it): DB_ONE_ROW with *active. */
enum db_status issuer_merchant_active(struct db *db, const char *merchant_code, bool *active);

/* --- enrolment (inside one db_run_transaction each) ----------------------- */

/* Runs body (which calls the operations below) as one transaction, a whole
 * enrolment mode: lib/db's db_run_transaction (retried after a
 * serialization failure).  Enrolment is a rare, offline path whose
 * several rows stand or fall together, so it is not one PL/pgSQL function. */
enum db_status issuer_enrol_transaction(struct db *db, const char *label, db_txn_fn body, void *arg);

/* An issuer, created or renamed. */
enum db_status issuer_put(struct db *db, const char *code, const char *name);

/* A card range (bounds are prefixes), created or moved to issuer_code. */
enum db_status issuer_range_put(struct db *db, const char *low, const char *high, const char *issuer_code);

struct card_range {
  char low[20], high[20];
  char issuer_code[17];
};
#define ISSUER_MAX_RANGES 256

/* Every card range (at most cap; more is logged and refused as a BUG), so
 * the issuer of a card number is found in this process (enrol.c): the
 * number never goes to the database. */
enum db_status issuer_ranges_read(struct db *db, struct card_range *out, int cap, int *n);

struct merchant_row {
  const char *merchant_code, *credit_code, *name, *status;
};

/* A merchant, created or updated. */
enum db_status issuer_merchant_put(struct db *db, const struct merchant_row *m);

/* A merchant's methods for one card issuer ("L I R", installments "3 6 12"
 * or ""), created or replaced.  DB_NO_ROWS when the merchant is unknown. */
enum db_status issuer_merchant_methods_put(struct db *db, const char *merchant_code, const char *issuer_code,
                                           const char *methods, const char *installments);

/* The row ID the account of a lookup hash has (its row locked) or will
 * have (a new one from the sequence), taken before the row is written
 * because the card's ciphertext is bound to it. */
enum db_status issuer_account_id(struct db *db, const char *card_hash, int64_t *id);

struct account_row {
  int64_t id; /* from issuer_account_id */
  const char *issuer_code, *holder, *address;
  const unsigned char *ciphertext;
  size_t ciphertext_len;
  int key_id, aad_format;
  const char *card_hash, *card_masked, *expiry, *currency;
  int64_t credit_limit;
};

/* Creates the account, or re-enrols it (balance kept, a lowered limit
 * never under it, the number sealed again).  DB_ONE_ROW; DB_NO_ROWS when
 * another enrolment made the account meanwhile under another ID. */
enum db_status issuer_account_put(struct db *db, const struct account_row *a);

#endif
