# cgi/gateway — paygw.fcgi, the gateway's FastCGI worker, paygw-sweeper,
# its background work, and paygw-webhooks, the webhooks to the shops.
# Endpoints are ep_*.c (one each), their database operations db/*.c (one
# each, with its statement).
GATEWAY_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/cgi $(FCGI_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS)
GATEWAY_LIBS = $(FCGIREQ_LIBS) $(DB_LIBS) $(ISO8583_LIBS) $(COMMON_LIBS)

# everything but the two mains, so unit tests link the same code
noinst_LIBRARIES += cgi/gateway/libgateway.a
cgi_gateway_libgateway_a_CFLAGS = $(GATEWAY_CFLAGS)
cgi_gateway_libgateway_a_SOURCES = \
	cgi/gateway/request.c cgi/gateway/request.h \
	cgi/gateway/service.c cgi/gateway/service.h \
	cgi/gateway/pool_name.c cgi/gateway/pool_name.h \
	cgi/gateway/reply.c cgi/gateway/reply.h \
	cgi/gateway/answer_log.c cgi/gateway/answer_log.h \
	cgi/gateway/problems.c cgi/gateway/problems.h \
	cgi/gateway/validate.c cgi/gateway/validate.h cgi/gateway/bodies.h \
	cgi/gateway/router.c cgi/gateway/router.h \
	cgi/gateway/auth.c cgi/gateway/auth.h \
	cgi/gateway/auth_terminal.c \
	cgi/gateway/endpoints.h \
	cgi/gateway/settings.c cgi/gateway/settings.h \
	cgi/gateway/cache.c cgi/gateway/cache.h \
	cgi/gateway/wait_slots.c cgi/gateway/wait_slots.h \
	cgi/gateway/long_poll.c cgi/gateway/long_poll.h \
	cgi/gateway/money.c cgi/gateway/money.h \
	cgi/gateway/tokens.c cgi/gateway/tokens.h \
	cgi/gateway/timefmt.c cgi/gateway/timefmt.h \
	cgi/gateway/mailbox.c cgi/gateway/mailbox.h \
	cgi/gateway/txn.c cgi/gateway/txn.h \
	cgi/gateway/methods.c cgi/gateway/methods.h \
	cgi/gateway/issuer_link.c cgi/gateway/issuer_link.h \
	cgi/gateway/payment.c cgi/gateway/payment.h \
	cgi/gateway/parties.c cgi/gateway/parties.h \
	cgi/gateway/rate_limit.c cgi/gateway/rate_limit.h \
	cgi/gateway/sweep.c cgi/gateway/sweep.h \
	cgi/gateway/backoff.c cgi/gateway/backoff.h \
	cgi/gateway/auth_device.c \
	cgi/gateway/token_request.c cgi/gateway/token_request.h \
	cgi/gateway/public_id.c cgi/gateway/public_id.h \
	cgi/gateway/token_issue.c cgi/gateway/token_issue.h \
	cgi/gateway/post_checks.c cgi/gateway/post_checks.h \
	cgi/gateway/refund.c cgi/gateway/refund.h \
	cgi/gateway/refund_send.c \
	cgi/gateway/ep_refunds_post.c \
	cgi/gateway/ep_refunds_get.c \
	cgi/gateway/ep_refund_get.c \
	cgi/gateway/ep_tokens_post.c \
	cgi/gateway/ep_token_get.c \
	cgi/gateway/ep_token_cancel_post.c \
	cgi/gateway/ep_token_reply_post.c \
	cgi/gateway/ep_health_get.c \
	cgi/gateway/ep_ping_get.c \
	cgi/gateway/metrics.c cgi/gateway/metrics.h \
	cgi/gateway/ep_metrics_get.c \
	cgi/gateway/ep_transactions_post.c \
	cgi/gateway/ep_transaction_get.c \
	cgi/gateway/ep_transaction_cancel_post.c \
	cgi/gateway/ep_mailbox_get.c \
	cgi/gateway/ep_device_auth_post.c \
	cgi/gateway/ep_confirmation_post.c \
	cgi/gateway/ep_payment_methods_get.c \
	cgi/gateway/ep_payment_method_post.c \
	cgi/gateway/db/queries.h \
	cgi/gateway/db/health_ping.c \
	cgi/gateway/db/metrics_gauges.c \
	cgi/gateway/db/terminal_by_code.c \
	cgi/gateway/db/txn_create.c cgi/gateway/db/txn.h \
	cgi/gateway/db/refund.h cgi/gateway/db/refund_read.c cgi/gateway/db/refund_void_facts.c \
	cgi/gateway/db/refund_create.c cgi/gateway/db/refund_list.c cgi/gateway/db/refund_status.c \
	cgi/gateway/db/refund_answer.c cgi/gateway/db/refund_record.c \
	cgi/gateway/db/refund_retry.c \
	cgi/gateway/db/refund_claim.c cgi/gateway/db/refund_next_due.c cgi/gateway/db/next_due.c cgi/gateway/db/next_due.h \
	cgi/gateway/db/device.h cgi/gateway/db/device_key.c cgi/gateway/db/mailbox_poll.c \
	cgi/gateway/db/handset.h cgi/gateway/db/user_key.c cgi/gateway/db/txn_device_auth.c \
	cgi/gateway/db/card.h cgi/gateway/db/txn_card.c cgi/gateway/db/txn_confirm.c \
	cgi/gateway/db/txn_methods.c cgi/gateway/db/txn_begin_auth.c cgi/gateway/db/txn_end_waiting.c \
	cgi/gateway/db/terminal.h cgi/gateway/db/txn_view.c cgi/gateway/db/txn_status.c cgi/gateway/db/txn_cancel.c \
	cgi/gateway/db/authorization.h cgi/gateway/db/auth_answer.c cgi/gateway/db/auth_fail.c \
	cgi/gateway/db/sweeper.h cgi/gateway/db/sweeper_lock.c cgi/gateway/db/auth_abandoned.c \
	cgi/gateway/db/auth_reversal_claim.c cgi/gateway/db/auth_reversed.c cgi/gateway/db/auth_reversal_retry.c \
	cgi/gateway/db/auth_next_due.c cgi/gateway/db/txn_expire_overdue.c cgi/gateway/db/idem_forget.c \
	cgi/gateway/db/enrolment.h cgi/gateway/db/issuer_ranges.c \
	cgi/gateway/db/webhook.h cgi/gateway/db/webhook_claim.c cgi/gateway/db/webhook_result.c \
	cgi/gateway/db/webhook_next_due.c \
	cgi/gateway/db/token.h cgi/gateway/db/token_create.c cgi/gateway/db/token_view.c cgi/gateway/db/token_status.c \
	cgi/gateway/db/token_reply_read.c cgi/gateway/db/token_reply.c cgi/gateway/db/token_delivered.c \
	cgi/gateway/db/token_sweep.c

pkglibexec_PROGRAMS += cgi/gateway/paygw.fcgi
cgi_gateway_paygw_fcgi_SOURCES = cgi/gateway/main.c
cgi_gateway_paygw_fcgi_CFLAGS = $(GATEWAY_CFLAGS)
cgi_gateway_paygw_fcgi_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS)

# the gateway's background work (reversals, recovery, expiry): one process,
# beside the workers, sharing their code (sweep.c, payment.c, issuer_link.c, db/)
pkglibexec_PROGRAMS += cgi/gateway/paygw-sweeper
cgi_gateway_paygw_sweeper_SOURCES = cgi/gateway/sweeper_main.c
cgi_gateway_paygw_sweeper_CFLAGS = $(GATEWAY_CFLAGS)
cgi_gateway_paygw_sweeper_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS)

# the webhooks to the merchants' shops (issue 12): one process beside the
# sweeper, POSTing the queue the database keeps (sql/0017) with libcurl
pkglibexec_PROGRAMS += cgi/gateway/paygw-webhooks
cgi_gateway_paygw_webhooks_SOURCES = cgi/gateway/webhooks_main.c cgi/gateway/webhook_send.c cgi/gateway/webhook_send.h
cgi_gateway_paygw_webhooks_CFLAGS = $(GATEWAY_CFLAGS) $(CURL_CFLAGS)
cgi_gateway_paygw_webhooks_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CURL_LIBS)
