/* issuer.h — the credit server's conversations with its database, each one
 * statement on a connection of a small pool (issuer.c): authorize a 0100,
 * reverse a 0400/0401, refund a 0220/0221, store a 0600's token key, read one back, and ask
 * whether a POS's merchant is taken.  The statements are in credit-server/db/. */
#ifndef PAYGW_CREDIT_ISSUER_H
#define PAYGW_CREDIT_ISSUER_H

#include "credit-server/credit.h"

/* Opens `size` connections to uri.  Returns 0, or -1 (logged) when one
 * cannot connect now. */
int issuer_pool_open(const char *uri, int size);
void issuer_pool_close(void);

/* Decides and records a 0100 (rq->transmitted_at set) in one statement:
 * under a key already held it charges nothing and answers the stored answer
 * when rq is that request again, 94 when its card, amount, merchant or
 * currency differ.  Returns 0; -1 when the database refused it or could
 * not be reached (nothing was recorded: the caller answers 96); -2 when
 * the answer was lost and whether it was recorded is unknown (the caller
 * sends no answer: the acquirer times out and reverses, which undoes a
 * recorded charge or voids the unrecorded 0100). */
int issuer_authorize_request(const struct credit_request *rq, long now, struct authorize_result *out);

/* The same for a peer's 0100: peer is the key's peer ("acquirer",
 * "merchant-<code>"), token_key_id a token 0100's field 60 (NULL for the
 * gateway's), rq->pan the number the token opened to. */
int issuer_authorize_from(const char *peer, const char *token_key_id, const struct credit_request *rq, long now,
                          struct authorize_result *out);

/* Undoes an approved authorization exactly once.  Returns 0 with *outcome,
 * or -1 when the database failed. */
int issuer_reverse_request(const char *peer, const struct reversal_request *rv, enum reversal_outcome *outcome);

/* Decides and records a 0220/0221 (issuer.do_refund).  Returns 0 with the
 * answer's code in code[3] and *outcome, or -1 when the database failed
 * (the caller answers 96; the acquirer repeats as 0221). */
int issuer_refund_request(const char *peer, const struct refund_request *rf, enum refund_outcome *outcome,
                          char code[3]);

/* --- token sales (token_handler.c) -------------------------------------- */
struct token_key_new;
struct token_key_put_answer;
struct token_key_row;

/* A 0600's row (issuer_token_key_put).  Returns 0, or -1 (database). */
int issuer_token_key_store(const struct token_key_new *in, struct token_key_put_answer *out);

/* The key under key_id.  Returns 1 found, 0 none, -1 database. */
int issuer_token_key_find(const char *key_id, struct token_key_row *out);

/* Whether the issuer takes merchant_code.  Returns 1, 0, or -1 (database). */
int issuer_merchant_taken(const char *merchant_code);

#endif
