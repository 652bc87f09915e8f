/* handset.h — the typed operations of the shopper's steps on the handset,
 * one file each in cgi/gateway/db/: its user's handset and key (user_key.c,
 * for the worker's cache), device authentication (txn_device_auth.c), the
 * confirmation (txn_confirm.c), the methods (txn_methods.c), the
 * authorization recorded before it is sent (txn_begin_auth.c) and a
 * transaction ended at the handset's request (txn_end_waiting.c).
 * Each is one call of a gateway.do_* function of sql/0015. */
#ifndef PAYGW_DB_HANDSET_H
#define PAYGW_DB_HANDSET_H

#include "db/db.h"
#include "gateway/db/card.h"
#include "gateway/methods.h"

#include <stdbool.h>
#include <stdint.h>

/* A user ID that can pay (user, card, handset and subscriber active): its
 * handset and the handset's public key (hex); and its card as the worker
 * made of it when it cached the user (cache_user_key decrypts it once):
 * gateway.card_digest of the row ("" when it did not decrypt) and the
 * issuer whose range holds the number ("" when none). */
struct user_key {
  int64_t device_id;
  char device_code[33];
  char public_key[65];
  char card_digest[65];
  char issuer_id[24];
};

/* DB_ONE_ROW with *out's handset filled and *card read for the worker to
 * decrypt, DB_NO_ROWS, or an error. */
enum db_status db_user_key(struct db *db, const char *user_id, struct user_key *out, struct txn_card *card);

/* POST /v1/device-auth, after the worker checked the device's signature
 * with the key it read (the function checks it is still the user's). */
struct device_auth_in {
  const char *number, *user_id, *device_code, *public_key;
  const char *challenge;
  const char *session_hash; /* SHA-256 hex of the session handed out */
  const char *deadline;     /* the confirmation's, RFC 3339 */
  const char *card_digest;  /* the user's card as the worker decrypted it (NULL: it did not) */
  const char *issuer_id;    /* decimal; NULL when no range holds the number */
};

enum device_auth_outcome {
  DEVICE_AUTHENTICATED,
  DEVICE_STALE, /* the user's rows changed since the worker read them: read again */
  DEVICE_UNKNOWN_TXN,
  DEVICE_OTHER_USER,
  DEVICE_CHALLENGE,  /* not the live, unused challenge */
  DEVICE_WRONG_STATE /* txn_status */
};

/* What the handset shows (fig 16). */
struct device_auth_out {
  enum device_auth_outcome outcome;
  char txn_status[32];
  char merchant_code[33], merchant_name[324], shop_name[324];
  char *items; /* JSON text, malloc'd: the caller frees */
  int64_t tax_total, total;
  char currency[4], binding_code[16], card_label[324], card_masked[24];
};

int device_auth_outcome_of(const char *text);

/* One call of gateway.do_device_auth (DB_REPEATABLE: sent again after a
 * lost answer, the session hash says it was done).  DB_ONE_ROW with *out
 * filled, or an error status. */
enum db_status db_txn_device_auth(struct db *db, const struct device_auth_in *in, struct device_auth_out *out);

/* POST .../confirmation: the ending prepared for the case the worker knew
 * (not agreeing: canceled; a card that did not decrypt: failed; else
 * declined when the merchant takes nothing of the card's issuer). */
struct confirm_in {
  const char *number, *session_hash;
  bool agree;
  const char *card_digest; /* of the card the worker read (db_txn_card); NULL: the one device-auth kept */
  bool card_readable;
  const char *issuer_id; /* decimal; NULL when no range holds the number */
  const char *deadline;  /* the method choice's, RFC 3339 */
  const char *code, *reason, *message, *signature;
  const char *call_key; /* random, this request's own */
};

enum confirm_outcome {
  CONFIRM_CONFIRMED, /* offer */
  CONFIRM_CANCELED,
  CONFIRM_DECLINED,
  CONFIRM_CARD_UNREADABLE, /* failed */
  CONFIRM_CARD_UNCHECKED,  /* read the card and prepare the ending, then call again */
  CONFIRM_UNKNOWN_TXN,
  CONFIRM_BAD_SESSION,
  CONFIRM_WRONG_STATE /* txn_status */
};

struct confirm_out {
  enum confirm_outcome outcome;
  char txn_status[32];
  struct method_offer offer;
};

int confirm_outcome_of(const char *text);

/* For the db/ files whose function answers the merchant x issuer row (fig
 * 10) in columns lump_sum ... counts: *offer from row 0 (found false when
 * NULL). */
void db_offer_read(PGresult *res, struct method_offer *offer);

/* One call of gateway.do_confirm (DB_REPEATABLE: the call's random key,
 * kept with the change, makes it answer what it did when sent again after a
 * lost answer).  DB_ONE_ROW with *out filled, or an error status. */
enum db_status db_txn_confirm(struct db *db, const struct confirm_in *in, struct confirm_out *out);

/* GET .../payment-methods. */
enum methods_outcome { METHODS_OFFERED, METHODS_UNKNOWN_TXN, METHODS_BAD_SESSION, METHODS_WRONG_STATE };

struct methods_out {
  enum methods_outcome outcome;
  char txn_status[32];
  struct method_offer offer; /* METHODS_OFFERED: found false when the merchant has no row for the issuer */
};

int methods_outcome_of(const char *text);

/* One call of gateway.do_payment_methods (DB_REPEATABLE: a read but for an
 * expiry, which a repeat finds done).  DB_ONE_ROW with *out, or an error. */
enum db_status db_txn_methods(struct db *db, const char *number, const char *session_hash, struct methods_out *out);

/* POST .../payment-method, step 1 (recorded before sending). */
struct begin_auth_in {
  const char *number, *session_hash, *method;
  int installments;
  const char *transmission_time; /* field 7, MMDDhhmmss */
  const char *card_digest;       /* of the card just decrypted; NULL: the confirmation's */
  const char *call_key;          /* random, this request's own */
};

enum begin_auth_outcome {
  BEGIN_RECORDED, /* authorizing, the authorization stored: send it */
  BEGIN_NOT_OFFERED,
  BEGIN_PARTY_DISABLED, /* begin_auth_party_status says which */
  BEGIN_CARD_UNCHECKED, /* read and decrypt the card, then call again with its digest */
  BEGIN_UNKNOWN_TXN,
  BEGIN_BAD_SESSION,
  BEGIN_WRONG_STATE /* txn_status */
};

#define BEGIN_PARTIES 7

struct begin_auth_out {
  enum begin_auth_outcome outcome;
  char txn_status[32];
  char id[24], user_id[40], device_id[24], currency[4], merchant_code[33];
  int64_t total;
  int stan;
  char transmission_time[11], terminal_field[9];
  struct txn_card card;            /* ciphertext and binding, for the worker to decrypt */
  char parties[BEGIN_PARTIES][16]; /* BEGIN_PARTY_DISABLED: the statuses */
};

int begin_auth_outcome_of(const char *text);

/* One call of gateway.do_begin_authorization (DB_REPEATABLE: the call's
 * random key finds its authorization when sent again after a lost answer).
 * DB_ONE_ROW with *out, or an error status. */
enum db_status db_txn_begin_auth(struct db *db, const struct begin_auth_in *in, struct begin_auth_out *out);

/* For parties_inactive_reason: the status of party `column` (card_status,
 * user_status, ...) in a BEGIN_PARTY_DISABLED answer (ctx: the out). */
const char *begin_auth_party_status(void *ctx, const char *column);

/* A waiting transaction ended by the handset's request (gateway.do_end_waiting). */
struct end_waiting_in {
  const char *number, *session_hash, *from, *status, *code, *reason, *message, *signature;
};
enum end_waiting_outcome { END_ENDED, END_UNKNOWN_TXN, END_BAD_SESSION, END_WRONG_STATE };
struct end_waiting_out {
  enum end_waiting_outcome outcome;
  char txn_status[32];
};
int end_waiting_outcome_of(const char *text);

/* DB_REPEATABLE: sent again, it finds the transaction ended so.  DB_ONE_ROW
 * with *out, or an error status. */
enum db_status db_txn_end_waiting(struct db *db, const struct end_waiting_in *in, struct end_waiting_out *out);

#endif
