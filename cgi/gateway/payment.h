/* payment.h — one authorization at the credit server, exactly once (see
 * ep_payment_method_post.c for the steps; sweep.c, run by paygw-sweeper,
 * sends the reversals and settles what a dead worker left). */
#ifndef PAYGW_PAYMENT_H
#define PAYGW_PAYMENT_H

#include "db/db.h"
#include "gateway/issuer_link.h"
#include "gateway/txn.h"

/* PAYMENT_UNKNOWN: the end could not be recorded (the database went away);
 * the authorization stays "sent" and the sweeper settles it. */
enum payment_outcome { PAYMENT_PENDING, PAYMENT_COMPLETED, PAYMENT_DECLINED, PAYMENT_FAILED, PAYMENT_UNKNOWN };

struct payment {
  struct issuer_auth auth; /* points into the buffers below */
  struct txn_ref ref;
  char pan[20], expiry[5], masked[24];
  char method[3], currency_alpha[4], currency_numeric[4], merchant_code[33];
  struct issuer_answer answer;
  enum payment_outcome outcome;
  bool card_unreadable; /* payment_begin: the card did not decrypt, the transaction failed */
};

/* Fills what the 0100 and its reversals share and points p->auth at p's
 * own buffers (set p->method first, when there is one). */
void payment_prepare(struct payment *p, const char *currency_alpha, const char *merchant_code, int64_t amount);

/* After step 1 (gateway.do_begin_authorization answered b): fills p for
 * the 0100 and decrypts the card.  0, or -1 when the card does not decrypt
 * (logged; p->card_unreadable set and the payment recorded as failed, as
 * payment_fail). */
struct begin_auth_out;
int payment_begin(struct db *db, struct payment *p, const struct begin_auth_out *b, const char *method,
                  int installments);

/* The payment fails without an answer: failed, the handset told, the
 * reversal due (the sweeper sends it). */
void payment_fail(struct db *db, struct payment *p);

/* Steps 2 and 3: send, await, record the outcome (or record the failure,
 * leaving the reversal to the sweeper, woken by NOTIFY). */
void payment_send_and_finish(struct db *db, struct payment *p);

/* "completed", "declined" or "failed" for an ended payment, else NULL
 * (pending, or unknown: the sweeper settles it), for the metrics. */
const char *payment_outcome_word(enum payment_outcome o);

/* Forgets the card number. */
void payment_wipe(struct payment *p);

#endif
