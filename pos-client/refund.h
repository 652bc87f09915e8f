/* refund.h — the POS's side of a refund of a completed payment (issue 15,
 * docs/pos.md "Refunds"): what `pos refund` takes (transaction number,
 * amount, reason), the body of POST /v1/transactions/{n}/refunds, the
 * journal's refund lines and reading them back (the refunds a crash or a
 * lost answer left without an end, asked again with the same
 * Idempotency-Key), the marks of refunds in flight, the refund receipt and
 * the list of a payment's refunds.  Pure code but the marks: unit-tested in
 * tests/unit/test_pos_refund.c.  No card number ever passes through here:
 * the gateway's refund answers carry none. */
#ifndef PAYGW_POS_REFUND_H
#define PAYGW_POS_REFUND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define REFUND_NUMBER_LEN 16                 /* a transaction number: Crockford base32 */
#define REFUND_AMOUNT_MAX 999999999999LL     /* ISO 8583 field 4: 12 digits */
#define REFUND_REASON_MAX 200                /* characters, as the gateway takes */
#define REFUND_KEY_KEPT_S (24L * 3600 - 600) /* the gateway keeps a key 24 h: ask again only before */

/* One refund as the POS asks for it and journals it: everything a repeat of
 * its POST needs (the same key and the same body), so it can be sent again
 * from the journal alone. */
struct pos_refund {
  char transaction[REFUND_NUMBER_LEN + 1];
  int64_t amount;                         /* minor units of the payment's currency */
  char reason[REFUND_REASON_MAX * 4 + 1]; /* UTF-8; "" when none was given */
  char terminal[64];                      /* the terminal code whose key this is */
  char key[65];                           /* the Idempotency-Key */
  char requested_at[32];                  /* the refund_pending line's time, RFC 3339 */
};

/* --transaction: 16 characters of [0-9A-Z] (the gateway's numbers).
 * Returns 0 or -1 with err. */
int refund_set_transaction(struct pos_refund *r, const char *number, char *err, size_t errlen);

/* --amount: digits only, 1 to 999999999999 minor units.  Returns 0 or -1. */
int refund_set_amount(struct pos_refund *r, const char *text, char *err, size_t errlen);

/* --reason: 1-200 characters of well-formed UTF-8 without control
 * characters; never cut.  Returns 0 or -1 with err. */
int refund_set_reason(struct pos_refund *r, const char *reason, char *err, size_t errlen);

/* The body of POST /v1/transactions/{n}/refunds: {"amount": N} and, when
 * given, "reason".  The same refund always gives the same body. */
json_t *refund_request_json(const struct pos_refund *r);

/* True for a refund status the gateway never leaves: completed, declined,
 * failed. */
bool refund_status_final(const char *status);

/* One journal line (JSON, no newline; malloc'd) of a refund: time, status
 * (refund_pending, refund_completed, ...), transaction, terminal, amount,
 * refund_reason, idempotency_key; from the gateway's refund object (may be
 * NULL) its id, kind, currency and response code; from the transaction's
 * answer (may be NULL) refunded and refundable; the problem code of a
 * refusal (may be NULL) and why it did not complete (may be NULL; else the
 * refund's decline or failure reason). */
char *refund_journal_line(const struct pos_refund *r, const char *when, const char *status, const json_t *refund,
                          const json_t *txn, const char *problem, const char *reason);

/* Reads r back from a refund journal line.  Returns 0, or -1 when the line
 * is not a refund line that names its request (number, amount, key...). */
int refund_from_line(const json_t *line, struct pos_refund *r);

/* A refund whose last journal line is refund_pending: its POST went out, or
 * may have, and the POS never learnt how the refund ended. */
struct refund_open {
  struct pos_refund r;
  json_t *line; /* that line */
};

/* The refunds of a journal whose last line is refund_pending, named by
 * their Idempotency-Key.  Returns their count with *open malloc'd (free
 * with refund_open_free), or -1 with err. */
long refund_journal_open(FILE *journal, struct refund_open **open, char *err, size_t errlen);
void refund_open_free(struct refund_open *open, long n);

/* True when a refund_pending line of `requested_at` is still within the
 * time the gateway keeps its Idempotency-Key, so asking again with it
 * cannot make a second refund. */
bool refund_key_still_kept(const struct pos_refund *r, time_t now);

/* The marks of refunds in flight: a file beside the journal
 * ("<journal>.refunds", mode 0600) with one byte locked per refund (an open
 * file description lock, dropped by the kernel when its process ends), at
 * an offset taken from its key.  Opens it: the fd, or -1 with err. */
int refund_marks_open(const char *journal, char *err, size_t errlen);

/* Holds r's mark.  Returns 0, or -1 when another living process holds it. */
int refund_hold(int marks_fd, const struct pos_refund *r);
void refund_release(int marks_fd, const struct pos_refund *r);

/* The terminal code of a credential "<code>.<secret>" into buf. */
const char *refund_terminal_code(const char *credential, char *buf, size_t len);

/* The refund receipt from the gateway's refund object and the
 * transaction's answer (GET /v1/transactions/{n}: shop, total, refunded,
 * refundable; may be NULL): shop, heading (REFUND, VOID, REFUND DECLINED,
 * REFUND FAILED, REFUND PENDING), terminal, transaction, refund ID, kind,
 * reason, amount, refunded so far, refundable left, the paid total, time.
 * shop is the fallback when txn names none.  Never a card number. */
void refund_receipt(FILE *out, const char *shop, const char *terminal, const json_t *refund, const json_t *txn);

/* The refusal of a refund in plain words (no trailing period), from the
 * problem's code and members and, when known, the transaction's answer
 * (its currency, status): "only 400 JPY is left to refund on ...". */
const char *refund_refusal_text(const char *number, int64_t amount, long http_status, const json_t *problem,
                                const json_t *txn, char *buf, size_t len);

/* The refunds of a payment (GET /v1/transactions/{n}/refunds), one line
 * each, oldest first, then refunded and refundable.  currency is the
 * payment's (the refunds' own when NULL). */
void refund_list(FILE *out, const json_t *list, const char *currency);

#endif
