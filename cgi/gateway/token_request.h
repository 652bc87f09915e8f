/* token_request.h — what the token endpoints (ep_token*.c, the second
 * embodiment: docs/api.md "Tokens") share and what can be checked without
 * a database: request IDs, the handset's signed reply, the worker's
 * verdict on a reply, the confirmation message and the token's expiry.
 * The key and the encrypted card number are lib/common/tokencrypt's. */
#ifndef PAYGW_TOKEN_REQUEST_H
#define PAYGW_TOKEN_REQUEST_H

#include <jansson.h>
#include "gateway/public_id.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOKEN_REQUEST_ID_PREFIX "tk_" /* a public ID (public_id.h) */
#define TOKEN_REQUEST_ID_LEN PUBLIC_ID_LEN

/* True for the states a token request ends in. */
bool token_status_is_final(const char *status);

/* The text the handset signs with its device key for POST
 * /v1/tokens/{id}/reply:
 *   "token-reply:<id>:<device>:<timestamp ms>:<SHA-256 hex of the body bytes>"
 * into out (cap bytes).  Returns its length, or -1 when it does not fit. */
int token_reply_signed_text(const char *id, const char *device, const char *stamp, const char *body, size_t body_len,
                            char *out, size_t cap);

/* What the worker found, and what it makes of a reply (in this order: the
 * device first, then Not agree, then the lock, then the password). */
struct token_reply_facts {
  bool device_ok;   /* header and body name the user's active handset and its key signed */
  bool agree;       /* the shopper's choice */
  bool locked;      /* the user ID is locked (the web password's lock) */
  bool password_ok; /* argon2id match of the web password (false without one) */
};
enum token_verdict {
  VERDICT_WRONG_DEVICE,
  VERDICT_NOT_AGREED,
  VERDICT_USER_LOCKED,
  VERDICT_WRONG_PASSWORD,
  VERDICT_RIGHT_PASSWORD
};
enum token_verdict token_reply_verdict(const struct token_reply_facts *f);

/* The verdict as gateway.do_token_reply takes it. */
const char *token_verdict_word(enum token_verdict v);

/* True when the password must be checked for this reply (agreed, from the
 * user's device, not locked): the argon2id work is done only then. */
bool token_reply_needs_password(const struct token_reply_facts *f);

/* The token's expiry (field 62): YYYYMMDDhhmmss UTC of t. */
void token_expiry_text(time_t t, char out[15]);

/* The status and reason of a 0600's end: 00 → issued (reason NULL); any
 * other code → failed/issuer_refused; no answer → failed/issuer_unavailable. */
void token_delivery_outcome(bool answered, const char *response_code, const char **status, const char **reason);

/* SHA-256 hex of what an Idempotency-Key is bound to: the path and the
 * canonical body, so the same key and body at POST /v1/transactions is a
 * conflict here, never another endpoint's answer. */
void token_request_hash(const json_t *body, char out[65]);

/* The answer text of sql/0021's gateway.token_json (PostgreSQL's json
 * text, with spaces) made compact, members in their order: malloc'd, or
 * NULL when text is not JSON.  The first answer and its replays go through
 * it alike, so a replay is the same bytes. */
char *token_answer_compact(const char *text);

/* The signed mailbox message asking the shopper (not yet sealed). */
struct token_confirmation {
  const char *id, *user_id, *device_id, *merchant, *shop, *currency, *binding_code, *reply_deadline;
  const char *items; /* JSON text */
  int64_t total, tax_total;
};
json_t *token_confirmation_message(const struct token_confirmation *c);

#endif
