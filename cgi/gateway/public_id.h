/* public_id.h — the IDs the gateway hands out for its own objects
 * ("tk_..." token requests, "rf_..." refunds): a three-character prefix
 * naming the kind, then base64url of 16 random bytes.  Unguessable, so
 * knowing one ID tells nothing of another. */
#ifndef PAYGW_GATEWAY_PUBLIC_ID_H
#define PAYGW_GATEWAY_PUBLIC_ID_H

#include <stdbool.h>

#define PUBLIC_ID_PREFIX_LEN 3
#define PUBLIC_ID_LEN 25 /* prefix + 22 base64url characters */

/* A fresh ID of the kind prefix (e.g. "rf_") into out.  0, or -1 when the
 * random generator fails. */
int public_id_new(const char *prefix, char out[PUBLIC_ID_LEN + 1]);

/* True when s has the shape of an ID of the kind prefix (checked before
 * any query). */
bool public_id_valid(const char *prefix, const char *s);

#endif
