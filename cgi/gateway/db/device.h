/* device.h — the typed operations of a handset's own requests, one file
 * each in cgi/gateway/db/: its key (device_key.c, for the worker's cache)
 * and its mailbox poll (mailbox_poll.c, gateway.do_mailbox_poll of
 * sql/0015), so no handler names a column or a parameter. */
#ifndef PAYGW_DB_DEVICE_H
#define PAYGW_DB_DEVICE_H

#include "db/db.h"

#include <jansson.h>
#include <stdint.h>

/* An active handset's row id and Ed25519 public key. */
struct device_key {
  int64_t id;
  unsigned char public_key[32];
};

/* The active device `code`: DB_ONE_ROW with *out filled, DB_NO_ROWS, or an
 * error. */
enum db_status db_device_key(struct db *db, const char *code, struct device_key *out);

/* GET /v1/mailbox, after the worker checked the poll's signature. */
struct mailbox_poll {
  const char *device_code;
  int64_t poll_ms;      /* X-Paygw-Timestamp */
  const char *poll_key; /* random, this request's own: a re-sent call is told the same messages */
  const char *window_s; /* a poll this soon after the last is too soon */
};

enum mailbox_poll_outcome {
  POLL_TAKEN,          /* messages */
  POLL_UNKNOWN_DEVICE, /* not (or no longer) an active device */
  POLL_REPLAYED,       /* the timestamp is not newer than the last accepted */
  POLL_TOO_SOON,
  POLL_RACED /* a concurrent poll, as new or newer, was recorded first */
};

struct mailbox_taken {
  enum mailbox_poll_outcome outcome;
  json_t *messages; /* POLL_TAKEN: [{"message", "signature"}, ...], the caller's reference */
};

/* Maps gateway.do_mailbox_poll's `outcome` text; -1 for one it does not know. */
int mailbox_poll_outcome_of(const char *text);

/* One call of gateway.do_mailbox_poll (DB_REPEATABLE: sent again after a
 * lost answer, the poll key makes it answer the same messages).
 * DB_ONE_ROW with *out filled, or an error status. */
enum db_status db_mailbox_poll(struct db *db, const struct mailbox_poll *in, struct mailbox_taken *out);

#endif
