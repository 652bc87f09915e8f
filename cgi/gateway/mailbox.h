/* mailbox.h — the direction server ([0096]): messages for a handset, each a
 * JSON text signed byte for byte with the gateway's message key, and put
 * in the mailbox by the same call as the state change they announce (the
 * gateway.do_* functions and db/auth_answer.c take the text and its
 * signature). */
#ifndef PAYGW_MAILBOX_H
#define PAYGW_MAILBOX_H

#include <jansson.h>

/* The signature (base64url, 86 chars + NUL) of text under the message key. */
int mailbox_sign(const char *text, char sig_b64[90]);

/* Serialises `message` (taken over) into *text (malloc'd, caller frees) and
 * signs it, for the call that stores it.  0 or -1. */
int mailbox_seal(json_t *message, char **text, char sig_b64[90]);

#endif
