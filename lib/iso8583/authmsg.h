/* authmsg.h — the authorization request (0100) and its reversal (0400,
 * repeated as 0401) as paygw's two senders build them: the gateway (with
 * the card number, fields 2 and 14) and the POS of the second embodiment
 * (with the token, fields 60-62; docs/iso8583.md).  The fields both share
 * are built here once, so the two cannot drift apart; and the wait for the
 * answer to one message on a link (tls.h), which drops what is not that
 * answer. */
#ifndef PAYGW_ISO8583_AUTHMSG_H
#define PAYGW_ISO8583_AUTHMSG_H

#include "iso8583/iso8583.h"
#include "iso8583/tls.h"

#include <stdbool.h>
#include <stdint.h>

/* What a 0100 and its reversal say of the sale. */
struct iso_auth_fields {
  int64_t amount;               /* minor units (field 4) */
  const char *currency_numeric; /* ISO 4217 "392" (field 49) */
  const char *merchant_code;    /* field 42, space padded by the codec */
  const char *terminal_id;      /* field 41: the ISO terminal ID, 1-8 characters, space padded */
  unsigned long stan;           /* field 11 */
  char transmission_time[11];   /* field 7 of the 0100, MMDDhhmmss UTC */
  const char *method;           /* L I B pB R (field 48); NULL: no field 48 */
  int installments;
};

/* Field 7 now (MMDDhhmmss UTC). */
void iso_transmission_time_now(char out[11]);

/* A 0100 with fields 3 (purchase), 4, 7, 11, 12 and 13 (field 7 cut in
 * two), 22 (010), 37 (field 12 + STAN), 41, 42, 48, 49; the caller adds the
 * card (2, 14) or the token (60-62).  Returns ISO_OK or an iso_error. */
int iso_auth_build(struct iso_msg *m, const struct iso_auth_fields *a);

/* A reversal of a's 0100: 0400, or 0401 when repeat, with fields 3, 4, 7
 * (now), 11 (the original's STAN), 41, 42, 48, 49 and 90 naming the
 * original (0100, its STAN and field 7).  Returns ISO_OK or an iso_error. */
int iso_reversal_build(struct iso_msg *m, const struct iso_auth_fields *a, bool repeat);

/* What iso_link_await saw besides the answer, for the caller's log. */
struct iso_await_notes {
  int malformed; /* messages that did not decode */
  int unrelated; /* decoded, but another MTI or STAN: a late answer */
};

enum iso_await { ISO_AWAIT_ANSWER = 0, ISO_AWAIT_TIMEOUT = -1, ISO_AWAIT_CLOSED = -2 };

/* Waits up to timeout_ms for the message with MTI `mti` and field 11
 * `stan` on l, dropping (and counting in notes, which may be NULL) any
 * other.  After anything but ISO_AWAIT_ANSWER the link must be closed: a
 * frame may be half read. */
enum iso_await iso_link_await(struct iso_link *l, const char *mti, const char *stan, struct iso_msg *answer,
                              long timeout_ms, struct iso_await_notes *notes);

#endif
