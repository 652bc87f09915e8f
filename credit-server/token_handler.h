/* token_handler.h — the second embodiment's conversations at the issuer
 * (docs/iso8583.md, "Token sales"): the gateway's 0600 delivering a token
 * key, and a merchant POS's token 0100.  Both run after handler_run has
 * checked who may send them. */
#ifndef PAYGW_CREDIT_TOKEN_HANDLER_H
#define PAYGW_CREDIT_TOKEN_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "credit-server/handler.h"

/* 0600 -> 0610: the key opens the encrypted number to a card the issuer
 * holds, and is stored sealed under the issuer's data key (00); 30 14 03
 * 94 96 otherwise.  Returns true with the answer in out. */
bool token_key_delivery(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len);

/* A merchant's token 0100 -> 0110: 30 and 14 here, then issuer.do_authorize
 * (63 03 13 54 and the card rules).  Returns false when nothing is to be
 * sent (the outcome is in doubt, or the drop control). */
bool token_authorize(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len);

#endif
