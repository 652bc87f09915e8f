/* post_checks.h — what the POST endpoints that create something check
 * alike, in one place: the Idempotency-Key header and the hash of the
 * request it is bound to (POST /v1/transactions, /v1/tokens,
 * /v1/transactions/{number}/refunds), and the sale a transaction or token
 * body describes (its currency and totals). */
#ifndef PAYGW_POST_CHECKS_H
#define PAYGW_POST_CHECKS_H

#include "gateway/bodies.h"
#include "gateway/request.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The Idempotency-Key header into *key (NULL when absent and not
 * required; it points into the request).  0, or -1 after answering 400
 * (absent when required, or not 1-64 of [A-Za-z0-9_-]). */
int idempotency_key_read(struct request *rq, bool required, const char **key);

/* SHA-256 hex of what an Idempotency-Key is bound to: "<what>\n" and the
 * canonical body (members sorted, compact), so a key used at one endpoint
 * is a conflict at another, never its answer.  what NULL: the canonical
 * body alone (POST /v1/transactions's, as it always was). */
void idempotency_request_hash(const char *what, const json_t *body, char out[65]);

/* The sale of a transaction or token body: its currency taken here, its
 * totals within the limit and more than 0 (an issuer refuses to authorize
 * nothing, ISO 8583 code 30: said now, not after the shopper agreed).
 * 0 with *total and *tax_total, or -1 after answering 400. */
int sale_body_check(struct request *rq, const struct transaction_body *in, int64_t *total, int64_t *tax_total);

#endif
