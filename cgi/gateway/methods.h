/* methods.h — which payment methods a shopper may choose (S9, [0101]): the
 * card number's issuer from the ranges of figure 9, then the merchant x
 * issuer row of figure 10. */
#ifndef PAYGW_METHODS_H
#define PAYGW_METHODS_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>

#define METHOD_MAX_COUNTS 16

struct method_offer {
  bool found; /* the merchant takes this issuer at all */
  bool lump_sum, installments, bonus, partial_bonus, revolving;
  int counts[METHOD_MAX_COUNTS]; /* installment counts, 0-terminated */
};

/* The issuer (gateway.issuers.id) whose range holds pan, into issuer_id
 * (decimal text).  The longest matching range wins.  DB_ONE_ROW / DB_NO_ROWS
 * or an error. */
enum db_status methods_issuer_for_pan(struct db *db, const char *pan, char issuer_id[24]);

/* [{"method":"L","name":"lump sum"}, {"method":"I","installments":[3,6]}, ...] */
json_t *methods_json(const struct method_offer *offer);

/* The card number of a transaction as read by db_txn_card (or answered by
 * do_begin_authorization), decrypted in memory, and masked.  The
 * ciphertext must be the one sealed for that card row and lookup hash.
 * Returns 0, or -1 after logging an error that names the card row (never
 * a number).  Callers wipe pan with OPENSSL_cleanse when done. */
struct txn_card;
int methods_card_decrypt(const struct txn_card *card, char pan[20], char expiry[5], char masked[24]);

/* What the steps before the 0100 need of a card: *readable (it decrypts)
 * and, when it does, its issuer (methods_issuer_for_pan) into issuer_id.
 * DB_ONE_ROW (issuer found), DB_NO_ROWS (unreadable, or no range holds the
 * number) or an error.  The number is wiped before returning. */
enum db_status methods_card_issuer(struct db *db, const struct txn_card *card, bool *readable, char issuer_id[24]);

#define METHODS_CARD_UNREADABLE "the card on file cannot be read; nothing was sent to the issuer"

/* True when a bound (a card-number prefix, fig 9) range holds pan. */
bool methods_range_holds(const char *low, const char *high, const char *pan);

#endif
