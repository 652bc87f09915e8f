/* endpoints.h — one handler per endpoint, each in its own ep_*.c file. */
#ifndef PAYGW_ENDPOINTS_H
#define PAYGW_ENDPOINTS_H

#include "gateway/request.h"
#include "gateway/bodies.h"

int ep_health_get(struct request *rq);
int ep_ping_get(struct request *rq);
int ep_metrics_get(struct request *rq); /* GET /metrics: Prometheus text, docs/metrics.md */
int ep_transactions_post(struct request *rq);
int ep_transaction_get(struct request *rq);
int ep_transaction_cancel_post(struct request *rq);
int ep_mailbox_get(struct request *rq);
int ep_device_auth_post(struct request *rq);
int ep_confirmation_post(struct request *rq);
int ep_payment_methods_get(struct request *rq);
int ep_payment_method_post(struct request *rq);
int ep_tokens_post(struct request *rq);
int ep_token_get(struct request *rq);
int ep_token_cancel_post(struct request *rq);
int ep_token_reply_post(struct request *rq);
int ep_refunds_post(struct request *rq);
int ep_refunds_get(struct request *rq);
int ep_refund_get(struct request *rq);

#endif
