/* auth.h — the authentication a route needs (router.h's enum route_auth),
 * checked once before the handler runs. */
#ifndef PAYGW_AUTH_H
#define PAYGW_AUTH_H

#include "gateway/request.h"
#include "gateway/router.h"
#include "common/ed25519.h"

#include <stdint.h>

/* Returns 0 when the caller is who the route needs (filling rq->terminal or
 * rq->device), else answers 401/403 and returns -1. */
int auth_check(struct request *rq, enum route_auth auth);

/* Terminal credentials are "<terminal code>.<43 base64url characters>":
 * 256 random bits, so a fast SHA-256 hash is safe to store (no dictionary to
 * guess from), unlike a person's password. */
#define TERMINAL_SECRET_BYTES 32

/* Splits a credential into its terminal code and the SHA-256 (hex) of its
 * secret.  Returns 0 or -1 when malformed.  Exposed for paygw-admin and the
 * unit tests. */
int terminal_credential_parse(const char *credential, char *code, size_t code_len, char hash_hex[65]);

/* The shape of a signed mailbox poll's headers, before any database work:
 * X-Paygw-Device 1-32 of [A-Za-z0-9_-], X-Paygw-Timestamp 1-15 digits (ms),
 * X-Paygw-Signature base64url of 64 bytes.  Returns 0 with *ts and sig
 * filled, or -1.  Exposed for the fuzz harness and the unit tests. */
int device_headers_parse(const char *device, const char *stamp, const char *sig_text, int64_t *ts,
                         unsigned char sig[ED25519_SIG_LEN]);

int auth_terminal(struct request *rq);
int auth_device(struct request *rq);
int auth_session(struct request *rq);

/* 64 hex digits into a 32-byte key; 0 or -1. */
int hex_to_key(const char *hex, unsigned char key[32]);

#endif
