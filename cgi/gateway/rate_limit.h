/* rate_limit.h — issue 4: each terminal may ask for PAYGW_TERMINAL_RATE
 * new transactions per second, with bursts of PAYGW_TERMINAL_BURST more;
 * beyond that POST /v1/transactions answers 429 rate_limited with
 * Retry-After, like nginx's per-address limits.
 *
 * Why in the gateway and not in nginx: nginx would have to key its zone on
 * the terminal code taken from the Authorization header before anyone
 * checked the secret behind it, so whoever learnt a shop's terminal code
 * (it is no secret: it goes to the issuer in every 0100) could spend that
 * terminal's allowance with made-up secrets and keep the shop from selling;
 * keying on the whole credential would put the secret in nginx's shared
 * memory.  Here the limit counts authenticated terminals only, and only
 * well-formed requests (a malformed one stores nothing).  The count is one
 * row per terminal in the database (gateway.terminal_rate, sql/0009), so
 * every worker shares it and it is exact under concurrency. */
#ifndef PAYGW_RATE_LIMIT_H
#define PAYGW_RATE_LIMIT_H

#include "gateway/request.h"

#include <stdbool.h>

/* The allowance is spent by gateway.do_create_transaction (sql/0014), the
 * first thing it does.  When it refused: answers 429 rate_limited with
 * Retry-After from its wait_s, and returns the HTTP status. */
int rate_limit_reply(struct request *rq, const char *wait_s);

/* The function's parameters for `rate` per second and `burst`: the
 * emission interval 1/rate and the tolerance burst/rate, in seconds, as
 * text. */
void rate_limit_params(long rate, long burst, char interval[32], char tolerance[32]);

/* Retry-After in whole seconds (at least 1) from the statement's wait_s. */
long rate_limit_retry_after(const char *wait_s);

#endif
