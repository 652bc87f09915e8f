/* user_submit.h — a user ID for an order, from the handset's JSON API or
 * the order page's form, through one function: checked as the gateway
 * checks user IDs, the order claimed, the gateway asked for a transaction
 * (Idempotency-Key order-{CODE}), the order moved to awaiting_payment. */
#ifndef SHOP_USER_SUBMIT_H
#define SHOP_USER_SUBMIT_H

#include "shop/request.h"

enum user_submit_result {
  SUBMIT_OK,              /* awaiting_payment now, or already with this user ID (a retry) */
  SUBMIT_BAD_USER_ID,     /* not 1-32 of [A-Za-z0-9_-] */
  SUBMIT_UNKNOWN_ORDER,   /* no such order (or, from the form, not this session's) */
  SUBMIT_HAS_USER,        /* another user ID has it */
  SUBMIT_NOT_AWAITING,    /* it has ended (paid, canceled, expired, ...) */
  SUBMIT_GATEWAY_REFUSED, /* the gateway answered an error: gateway_code */
  SUBMIT_GATEWAY_DOWN,    /* no answer from the gateway */
  SUBMIT_DB_FAILED
};

struct user_submit_out {
  char state[24];
  char transaction[33];
  char binding_code[9];
  int64_t total, tax_total;
  char currency[4];
  char gateway_code[64]; /* SUBMIT_GATEWAY_REFUSED */
  int gateway_status;
  char detail[300]; /* for the answer: why */
};

/* True when user_id is 1-32 of [A-Za-z0-9_-] (the gateway's rule). */
int user_id_wellformed(const char *user_id);

/* session_id: the form's session, which must own the order; 0 for the
 * handset API (anyone who has the code). */
enum user_submit_result user_submit(struct shop_request *rq, const char *code, const char *user_id, int64_t session_id,
                                    struct user_submit_out *out);

#endif
