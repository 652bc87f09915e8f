# tests/unit — cmocka unit tests of lib/common and the gateway's request
# plumbing (other folders keep their own unit-test rules in their local.mk).
check_PROGRAMS += tests/unit/test_common tests/unit/test_validate tests/unit/test_gateway_rules tests/unit/test_backoff \
	tests/unit/test_db
TESTS += tests/unit/test_common tests/unit/test_validate tests/unit/test_gateway_rules tests/unit/test_backoff \
	tests/unit/test_db

tests_unit_test_common_SOURCES = tests/unit/test_common.c
tests_unit_test_common_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_common_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_tokencrypt
TESTS += tests/unit/test_tokencrypt
tests_unit_test_tokencrypt_SOURCES = tests/unit/test_tokencrypt.c
tests_unit_test_tokencrypt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_tokencrypt_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_money_text
TESTS += tests/unit/test_money_text
tests_unit_test_money_text_SOURCES = tests/unit/test_money_text.c
tests_unit_test_money_text_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_money_text_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_utf8
TESTS += tests/unit/test_utf8
tests_unit_test_utf8_SOURCES = tests/unit/test_utf8.c
tests_unit_test_utf8_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_utf8_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

tests_unit_test_validate_SOURCES = tests/unit/test_validate.c
tests_unit_test_validate_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_validate_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)

tests_unit_test_gateway_rules_SOURCES = tests/unit/test_gateway_rules.c
tests_unit_test_gateway_rules_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_gateway_rules_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)

# the answers' log for the check against docs/openapi.yaml (answer_log.c)
check_PROGRAMS += tests/unit/test_answer_log
TESTS += tests/unit/test_answer_log
tests_unit_test_answer_log_SOURCES = tests/unit/test_answer_log.c
tests_unit_test_answer_log_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_answer_log_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)

tests_unit_test_backoff_SOURCES = tests/unit/test_backoff.c
tests_unit_test_backoff_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_backoff_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)

tests_unit_test_db_SOURCES = tests/unit/test_db.c
tests_unit_test_db_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_db_LDADD = $(DB_LIBS) $(CMOCKA_LIBS)

# the Standard Webhooks signature of the gateway's webhook sender
# (lib/common/webhook_sig.c), against the specification's published example
check_PROGRAMS += tests/unit/test_webhook_sig
TESTS += tests/unit/test_webhook_sig
tests_unit_test_webhook_sig_SOURCES = tests/unit/test_webhook_sig.c
tests_unit_test_webhook_sig_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_webhook_sig_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

# the receiving side: lib/common/webhook_verify.c (the demo shop's check of
# the gateway's webhooks), against the same example, in and out of time
check_PROGRAMS += tests/unit/test_webhook_verify
TESTS += tests/unit/test_webhook_verify
tests_unit_test_webhook_verify_SOURCES = tests/unit/test_webhook_verify.c
tests_unit_test_webhook_verify_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_webhook_verify_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

# lib/common/qr_svg.c: the SVG read back into modules, compared with
# libqrencode's and decoded by zbarimg (zbar-tools, scripts/deps)
check_PROGRAMS += tests/unit/test_qr_svg
TESTS += tests/unit/test_qr_svg
tests_unit_test_qr_svg_SOURCES = tests/unit/test_qr_svg.c
tests_unit_test_qr_svg_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(QRENCODE_CFLAGS)
tests_unit_test_qr_svg_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

# the gateway's refunds (issue 15): the void's day and cut-off in a time
# zone, the 0220/0221 as the credit server reads it, the objects
check_PROGRAMS += tests/unit/test_gateway_refunds
TESTS += tests/unit/test_gateway_refunds
tests_unit_test_gateway_refunds_SOURCES = tests/unit/test_gateway_refunds.c
tests_unit_test_gateway_refunds_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_gateway_refunds_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)

# the gateway's token requests (issue 14, second embodiment): the pure rules
# of cgi/gateway/token_request.c and the outcome words of sql/0021
check_PROGRAMS += tests/unit/test_gateway_tokens
TESTS += tests/unit/test_gateway_tokens
tests_unit_test_gateway_tokens_SOURCES = tests/unit/test_gateway_tokens.c
tests_unit_test_gateway_tokens_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_gateway_tokens_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)

# GET /metrics (issue 16): the Prometheus text (lib/common/prom.c) and the
# gateway's table shared through a file by its processes (cgi/gateway/metrics.c)
check_PROGRAMS += tests/unit/test_metrics
TESTS += tests/unit/test_metrics
tests_unit_test_metrics_SOURCES = tests/unit/test_metrics.c tests/unit/prom_value.h
tests_unit_test_metrics_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_metrics_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)
