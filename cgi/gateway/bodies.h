/* bodies.h — the request bodies of the POST endpoints, as the structs their
 * field tables (validate.h) fill.  Each table lives in its endpoint's file;
 * they are declared here so the unit tests (validate_spec_problem) and the
 * fuzz harness (tests/fuzz/fuzz_gateway_body.c) check every one.  Text
 * members point into the parsed body (parse_json_body's *body). */
#ifndef PAYGW_BODIES_H
#define PAYGW_BODIES_H

#include "gateway/validate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ITEMS_MAX 50 /* items of one transaction */

/* POST /v1/transactions (ep_transactions_post.c) */
struct item {
  const char *name;
  int64_t quantity;
  int64_t unit_price; /* minor units */
  int64_t tax;        /* minor units, for the whole line */
};

struct transaction_body {
  const char *user_id;
  const char *currency;
  struct item items[ITEMS_MAX];
  size_t n_items;
  const char *reference; /* NULL when not sent */
};

/* POST /v1/device-auth (ep_device_auth_post.c) */
struct auth_result {
  struct field_time verified_at;
  struct field_time expires_at;
};

struct device_auth_body {
  const char *transaction;
  const char *user_id;
  const char *device_id;
  struct auth_result auth_result;
  const char *challenge;
  const char *signature;
};

/* POST /v1/transactions/{number}/confirmation (ep_confirmation_post.c) */
struct confirmation_body {
  bool agree;
};

/* POST /v1/transactions/{number}/payment-method (ep_payment_method_post.c) */
struct method_body {
  const char *method;
  int64_t installments; /* 0 when not sent */
};

/* POST /v1/transactions/{number}/cancel (ep_transaction_cancel_post.c) */
struct cancel_body {
  const char *reason; /* NULL when not sent */
};

/* POST /v1/tokens takes transaction_body (transaction_spec); its reply
 * (ep_token_reply_post.c): */
struct token_reply_body {
  bool agree;
  const char *password; /* NULL when not sent (Not agree) */
  const char *device_id;
};

/* POST /v1/transactions/{number}/refunds (ep_refunds_post.c) */
struct refund_body {
  int64_t amount;     /* minor units of the payment's currency */
  const char *reason; /* NULL when not sent */
};

extern const struct field transaction_spec[], device_auth_spec[], confirmation_spec[], method_spec[], cancel_spec[],
    token_reply_spec[], refund_spec[];

#endif
