/* cache.h — a worker's short-lived copies of rows that rarely change and
 * are read on every request: terminal credentials (two look-ups per
 * payment) and the issuers' card-number ranges (fig 9).  A change to
 * those tables is announced on ENROLMENT_CHANNEL (triggers of
 * sql/0004_enrolment_notify.sql); the worker LISTENs and drops every copy
 * before its next look-up, so a terminal disabled with paygw-admin is
 * refused at once.  PAYGW_CACHE_SECONDS (default 60) bounds an entry's life
 * all the same.  Only successful look-ups are kept, so a new terminal works
 * at once. */
#ifndef PAYGW_CACHE_H
#define PAYGW_CACHE_H

#include "gateway/db/queries.h"

#include <stdbool.h>

#define ENROLMENT_CHANNEL "paygw_enrolment"

/* The code of a user ID's handset, which the signed payment command of
 * POST /v1/transactions names: NULL when not known.  A hint, never trusted:
 * gateway.do_create_transaction compares it with the user's row and
 * answers sign_again with the right one (cache_user_device_put), so a
 * stale entry costs one more round trip, never a wrong command. */
const char *cache_user_device(const char *user_id);
void cache_user_device_put(const char *user_id, const char *device_code);

/* Like db_terminal_by_code, answered from the cache when fresh. */
enum db_status cache_terminal_by_code(struct db *db, const char *code, struct terminal_row *row);

/* The active ranges as a result of q_issuer_ranges, from the cache when
 * fresh; the result stays owned by the cache (do not PQclear). */
enum db_status cache_issuer_ranges(struct db *db, PGresult **res);

#endif
