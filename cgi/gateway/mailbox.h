/* mailbox.h — the direction server ([0096]): messages for a handset, each a
 * JSON text signed byte for byte with the gateway's message key, put in the
 * same database transaction as the state change they announce. */
#ifndef PAYGW_MAILBOX_H
#define PAYGW_MAILBOX_H

#include "db/db.h"

#include <jansson.h>

/* Serialises `message` (taken over), signs it and inserts it for the device.
 * expires_at is RFC 3339 text or NULL.  Returns a db_status (DB_HARD_ERROR
 * when the message cannot be signed). */
enum db_status mailbox_put(struct db *db, const char *device_id, const char *user_id, const char *txn_id,
                           const char *kind, json_t *message, const char *expires_at);

/* The signature (base64url, 86 chars + NUL) of text under the message key. */
int mailbox_sign(const char *text, char sig_b64[90]);

/* Serialises `message` (taken over) into *text (malloc'd, caller frees) and
 * signs it, for statements that insert the message themselves.  0 or -1. */
int mailbox_seal(json_t *message, char **text, char sig_b64[90]);

#endif
