/* card.h — the card a transaction is paid with, as read for the worker to
 * decrypt (txn_card.c): the database never sees a card number, so the
 * steps that need one (the confirmation's issuer, the 0100) decrypt it in
 * C.  See gateway.card_digest in sql/0015 for why the digest travels. */
#ifndef PAYGW_DB_CARD_H
#define PAYGW_DB_CARD_H

#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>

struct txn_card {
  char number[24], user_id[40], status[32];
  char session_hash[65]; /* hex, "" when none */
  bool overdue;          /* its waiting state has run out (the next call expires it) */
  int64_t card_id;
  char ciphertext[256]; /* hex */
  int key_id, aad;
  char lookup[65], expiry[5];
  char digest[65]; /* gateway.card_digest of the card row read */
};

/* Transaction `number` with its card, unlocked: DB_ONE_ROW, DB_NO_ROWS or
 * an error. */
enum db_status db_txn_card(struct db *db, const char *number, struct txn_card *out);

#endif
