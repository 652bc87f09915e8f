/* cache.h — a worker's short-lived copies of rows that rarely change and
 * are read on every request: terminal credentials (two look-ups per
 * payment), the issuers' card-number ranges (fig 9), the handsets' keys
 * and the users' handsets.  A change to those tables is announced on
 * ENROLMENT_CHANNEL (triggers of sql/0004_enrolment_notify.sql and
 * sql/0015); the worker LISTENs and drops every copy
 * before its next look-up, so a terminal disabled with paygw-admin is
 * refused at once.  PAYGW_CACHE_SECONDS (default 60) bounds an entry's life
 * all the same.  Only successful look-ups are kept, so a new terminal works
 * at once. */
#ifndef PAYGW_CACHE_H
#define PAYGW_CACHE_H

#include "gateway/db/queries.h"

#include <stdbool.h>
#include <stdint.h>

#define ENROLMENT_CHANNEL "paygw_enrolment"

/* The code of a user ID's handset, which the signed payment command of
 * POST /v1/transactions names: NULL when not known.  A hint, never trusted:
 * gateway.do_create_transaction compares it with the user's row and
 * answers sign_again with the right one (cache_user_device_put), so a
 * stale entry costs one more round trip, never a wrong command. */
const char *cache_user_device(const char *user_id);
void cache_user_device_put(const char *user_id, const char *device_code);

/* An active handset's row id and Ed25519 public key (db_device_key), from
 * the cache when fresh: DB_ONE_ROW, DB_NO_ROWS or an error.  Changes to
 * gateway.devices' code, key or status are announced (sql/0015), and the
 * mailbox poll checks the device is still active all the same. */
enum db_status cache_device_key(struct db *db, const char *code, int64_t *id, unsigned char public_key[32]);

/* Drops the copy of device `code` (the database said it is not active). */
void cache_device_forget(const char *code);

/* A user ID's handset and its key (db_user_key), from the cache when
 * fresh.  gateway.do_device_auth checks they are still the user's and
 * answers stale otherwise: forget the copy and ask again.  Filling a copy
 * decrypts the user's card once for its digest and issuer (struct
 * user_key), which device-auth hands on to the confirmation. */
struct user_key;
enum db_status cache_user_key(struct db *db, const char *user_id, struct user_key *key);
void cache_user_key_forget(const char *user_id);

/* Like db_terminal_by_code, answered from the cache when fresh. */
enum db_status cache_terminal_by_code(struct db *db, const char *code, struct terminal_row *row);

/* The active issuers' ranges (db_issuer_ranges), from the cache when
 * fresh: *rows (*n of them) stay owned by the cache and last until its
 * next call.  DB_ROWS, DB_NO_ROWS or an error. */
struct issuer_range;
enum db_status cache_issuer_ranges(struct db *db, const struct issuer_range **rows, int *n);

#endif
