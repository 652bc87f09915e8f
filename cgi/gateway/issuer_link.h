/* issuer_link.h — the gateway's side of ISO 8583 with the credit server
 * (S10-S12, [0102]): one persistent TCP connection per worker, an
 * authorization (0100 → 0110) within a time-out, reversals (0400, then
 * 0401 repeats → 0410), refunds (0220, then 0221 repeats → 0230; issue
 * 15) and a token's key delivered to the issuer (0600 → 0610, the second
 * embodiment). */
#ifndef PAYGW_ISSUER_LINK_H
#define PAYGW_ISSUER_LINK_H

#include <stdbool.h>
#include <stdint.h>

struct issuer_auth {
  const char *pan;              /* in memory only, never logged */
  const char *expiry;           /* YYMM */
  int64_t amount;               /* minor units */
  const char *currency_numeric; /* ISO 4217 "392" */
  const char *merchant_code;    /* field 42 */
  char terminal_field[9];       /* field 41: 8 characters, space padded */
  int stan;                     /* field 11 */
  char transmission_time[11];   /* field 7, MMDDhhmmss UTC */
  const char *method;           /* L I B pB R */
  int installments;
};

struct issuer_answer {
  char response_code[3];
  char approval_code[7];
};

enum issuer_result { ISSUER_ANSWERED, ISSUER_NO_ANSWER };

/* Field 41 from the terminal's ISO terminal ID (gateway.terminals.
 * iso_terminal_id: 1-8 characters, unique per terminal), space padded. */
void issuer_terminal_field(const char *iso_terminal_id, char out[9]);

/* Field 7 now. */
void issuer_transmission_time(char out[11]);

/* Sends the 0100 and waits up to timeout_ms for its 0110. */
enum issuer_result issuer_authorize(const struct issuer_auth *a, struct issuer_answer *answer, long timeout_ms);

/* Sends a reversal of a's authorization (0401 when repeat) and waits for the
 * 0410.  a->pan and a->expiry may be NULL.  ISSUER_ANSWERED means
 * acknowledged. */
enum issuer_result issuer_reverse(const struct issuer_auth *a, bool repeat, long timeout_ms);

/* The same, for a void (issue 15): ISSUER_ANSWERED whatever field 39 says,
 * with it in answer->response_code. */
enum issuer_result issuer_reverse_answer(const struct issuer_auth *a, bool repeat, struct issuer_answer *answer,
                                         long timeout_ms);

/* A refund of an approved 0100 (docs/iso8583.md "Refunds"): its own STAN
 * and field 7, the original's terminal and merchant, field 90 naming the
 * original (MTI 0100, its STAN and field 7). */
struct issuer_refund {
  int64_t amount;               /* field 4: the refund's */
  const char *currency_numeric; /* field 49 */
  const char *merchant_code;    /* field 42 */
  char terminal_field[9];       /* field 41: the original's */
  int stan;                     /* field 11: the refund's own */
  char transmission_time[11];   /* field 7: the refund's own, the same in every repeat */
  int orig_stan;                /* field 90: the original 0100's STAN ... */
  char orig_time[11];           /* ... and field 7 */
};

/* The 0220 (0221 when repeat) of r into m (field 11 as set into stan): 0,
 * or -1 when a field does not fit its format.  Exposed for the unit tests. */
struct iso_msg;
int issuer_refund_message(const struct issuer_refund *r, bool repeat, struct iso_msg *m, char stan[7]);

/* Sends the 0220 / 0221 and waits up to timeout_ms for its 0230 (the same
 * STAN), whose field 39 goes to answer->response_code. */
enum issuer_result issuer_refund(const struct issuer_refund *r, bool repeat, struct issuer_answer *answer,
                                 long timeout_ms);

/* The second embodiment's key delivery ([0148], [0161]): the 0600 names
 * the key ID (field 60), the encrypted card number (61), the token's
 * expiry (62) and carries the key itself (63), with the sale's amount (4),
 * currency (49), merchant (42) and terminal (41). */
struct issuer_key_delivery {
  int64_t amount;               /* field 4 */
  const char *currency_numeric; /* field 49 */
  const char *merchant_code;    /* field 42 */
  char terminal_field[9];       /* field 41 */
  int stan;                     /* field 11 */
  char transmission_time[11];   /* field 7 */
  const char *key_id;           /* field 60 */
  const char *ecn;              /* field 61 */
  const char *expiry;           /* field 62, YYYYMMDDhhmmss */
  const char *key_text;         /* field 63: in memory only, never logged or stored */
};

/* The 0600 of d into m (field 11 as set into stan): 0, or -1 when a field
 * does not fit its format.  The caller wipes m (it holds the key).
 * Exposed for the unit tests. */
int issuer_key_message(const struct issuer_key_delivery *d, struct iso_msg *m, char stan[7]);

/* Sends the 0600 and waits up to timeout_ms for its 0610 (the same STAN),
 * whose field 39 goes to answer->response_code.  No retry: a token whose
 * key did not reach the issuer fails, and the POS asks again.  The message
 * buffers are wiped (they held the key). */
enum issuer_result issuer_deliver_key(const struct issuer_key_delivery *d, struct issuer_answer *answer,
                                      long timeout_ms);

#endif
