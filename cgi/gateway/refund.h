/* refund.h — refunds and voids of completed payments (issue 15; docs/api.md
 * "Refunds"): what can be decided without a database (the refund's ID, the
 * void's day and cut-off, the objects the merchant and the handset get),
 * and the one send-and-record step the worker (attempt 1) and the sweeper
 * (every repeat) share.  The records are sql/0023's gateway.refunds, moved
 * only by gateway.do_* functions (db/refund.h). */
#ifndef PAYGW_REFUND_H
#define PAYGW_REFUND_H

#include "db/db.h"

#include "gateway/public_id.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define REFUND_ID_PREFIX "rf_" /* a public ID (public_id.h) */
#define REFUND_ID_LEN PUBLIC_ID_LEN

/* True for the states a refund ends in (completed, declined, failed). */
bool refund_status_is_final(const char *status);

/* PAYGW_CUTOFF_TIME "HH:MM" (00:00-23:59) as minutes after midnight; -1
 * when malformed. */
int refund_cutoff_minutes(const char *text);

/* True when tz names a zone of the system's tz database (glibc would
 * read an unknown TZ as UTC without a word). */
bool refund_zone_known(const char *tz);

/* Whether a payment completed at completed_at may still be voided at now:
 * now is on the same local day (in time zone tz, an IANA name such as
 * "Asia/Tokyo") as completed_at, and before that day's cut-off
 * (cutoff_min minutes after local midnight).  False when tz is unknown.
 * The rest of the rule (the whole amount, no earlier refund) is decided
 * under the payment's lock (gateway.do_create_refund). */
bool refund_void_window_open(time_t completed_at, time_t now, int cutoff_min, const char *tz);

/* One refund as sql/0023's gateway.refund_facts reads it. */
struct refund_row {
  char id[REFUND_ID_LEN + 1], number[24], kind[8], currency[4], status[16];
  char reason[804]; /* "" with has_reason false: none */
  bool has_reason, has_ended_at;
  char response_code[8], outcome_reason[512], created_at[32], ended_at[32];
  int64_t amount, total, refunded_others;
  int stan, orig_stan, attempts;
  char transmission_time[11], orig_time[11], terminal_code[9], merchant_code[33], shop_name[324], user_id[40];
};

/* The refund object of docs/api.md (new reference, the caller decrefs). */
json_t *refund_object(const struct refund_row *r);

/* The handset's `refund` message (not yet sealed) for a refund that has
 * just completed, saying `refunded` (the payment's refunds with this one)
 * and issued at issued_at. */
json_t *refund_message(const struct refund_row *r, int64_t refunded, const char *issued_at);

/* What came of one attempt (send_and_record). */
enum refund_attempt { REFUND_ANSWERED, REFUND_UNANSWERED, REFUND_NOT_RECORDED };

/* Sends attempt r->attempts of refund r (the first: 0220 / 0400; a repeat:
 * 0221 / 0401) and waits up to timeout_ms; an answer is recorded
 * (completed with the signed mailbox message, or declined) and r->status
 * set.  Without an answer the refund stays pending: the sweeper repeats it
 * when the attempt's lease ends (retry_ms >= 0: put off to retry_ms from
 * now instead, the sweeper's back-off). */
enum refund_attempt refund_send_and_record(struct db *db, struct refund_row *r, long timeout_ms, long retry_ms);

#endif
