# credit-server — the reference issuer host (docs/credit-server.md): ISO 8583
# over TCP, its own schema `issuer`.  Everything but main.c is a library so
# the unit tests link the same code.
# Its database operations are one file each in credit-server/db/ (ops.h),
# on lib/db.
CREDIT_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) $(MHD_CFLAGS) -pthread
CREDIT_LIBS = credit-server/libcredit.a $(ISO8583_LIBS) $(DB_LIBS) $(MHD_LIBS)

noinst_LIBRARIES += credit-server/libcredit.a
credit_server_libcredit_a_CFLAGS = $(CREDIT_CFLAGS)
credit_server_libcredit_a_SOURCES = \
	credit-server/credit.h credit-server/request.c credit-server/refund.c credit-server/duplicate.c \
	credit-server/controls.c credit-server/controls.h \
	credit-server/issuer.c credit-server/issuer.h \
	credit-server/db/ops.h credit-server/db/authorize.c credit-server/db/reverse.c credit-server/db/refund.c \
	credit-server/db/issuer_put.c credit-server/db/range_put.c credit-server/db/ranges_read.c \
	credit-server/db/merchant_put.c credit-server/db/merchant_methods_put.c \
	credit-server/db/account_id.c credit-server/db/account_put.c credit-server/db/enrol_transaction.c \
	credit-server/db/token_key_put.c credit-server/db/token_key_read.c credit-server/db/merchant_active.c \
	credit-server/token.c credit-server/token_handler.c credit-server/token_handler.h \
	credit-server/handler.c credit-server/handler.h \
	credit-server/server.c credit-server/server.h \
	credit-server/metrics.c credit-server/metrics.h \
	credit-server/enrol.c credit-server/enrol.h

pkglibexec_PROGRAMS += credit-server/credit-server
credit_server_credit_server_SOURCES = credit-server/main.c
credit_server_credit_server_CFLAGS = $(CREDIT_CFLAGS)
credit_server_credit_server_LDADD = $(CREDIT_LIBS)
credit_server_credit_server_LDFLAGS = -pthread

# a test tool: one ISO 8583 message from the command line over the link's
# mutual TLS, the answer printed
noinst_PROGRAMS += tests/tools/iso-send
tests_tools_iso_send_SOURCES = tests/tools/iso-send.c
tests_tools_iso_send_CFLAGS = $(AM_CFLAGS) $(LIBSSL_CFLAGS) $(OPENSSL_CFLAGS) $(JANSSON_CFLAGS)
tests_tools_iso_send_LDADD = $(ISO8583_LIBS) $(COMMON_LIBS)

# a test tool: a token key the credit server sealed, opened and printed, so
# a test can search the dumps and logs for it (tests/api/token_no_clear.t)
noinst_PROGRAMS += tests/tools/token-key-open
tests_tools_token_key_open_SOURCES = tests/tools/token-key-open.c
tests_tools_token_key_open_CFLAGS = $(CREDIT_CFLAGS)
tests_tools_token_key_open_LDADD = $(CREDIT_LIBS) $(COMMON_LIBS)

check_PROGRAMS += tests/unit/test_credit_request tests/unit/test_credit_controls tests/unit/test_credit_duplicate \
	tests/unit/test_credit_enrol tests/unit/test_credit_tokens tests/unit/test_credit_refund
TESTS += tests/unit/test_credit_request tests/unit/test_credit_controls tests/unit/test_credit_duplicate \
	tests/unit/test_credit_enrol tests/unit/test_credit_tokens tests/unit/test_credit_refund
tests_unit_test_credit_request_SOURCES = tests/unit/test_credit_request.c
tests_unit_test_credit_request_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_credit_request_LDADD = $(CREDIT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_credit_request_LDFLAGS = -pthread
tests_unit_test_credit_controls_SOURCES = tests/unit/test_credit_controls.c
tests_unit_test_credit_controls_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_credit_controls_LDADD = $(CREDIT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_credit_controls_LDFLAGS = -pthread
tests_unit_test_credit_duplicate_SOURCES = tests/unit/test_credit_duplicate.c
tests_unit_test_credit_duplicate_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_credit_duplicate_LDADD = $(CREDIT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_credit_duplicate_LDFLAGS = -pthread
tests_unit_test_credit_enrol_SOURCES = tests/unit/test_credit_enrol.c
tests_unit_test_credit_enrol_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_credit_enrol_LDADD = $(CREDIT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_credit_enrol_LDFLAGS = -pthread
tests_unit_test_credit_tokens_SOURCES = tests/unit/test_credit_tokens.c
tests_unit_test_credit_tokens_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_credit_tokens_LDADD = $(CREDIT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_credit_tokens_LDFLAGS = -pthread
tests_unit_test_credit_refund_SOURCES = tests/unit/test_credit_refund.c
tests_unit_test_credit_refund_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_credit_refund_LDADD = $(CREDIT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_credit_refund_LDFLAGS = -pthread

# its metrics (credit-server/metrics.c, docs/metrics.md)
check_PROGRAMS += tests/unit/test_credit_metrics
TESTS += tests/unit/test_credit_metrics
tests_unit_test_credit_metrics_SOURCES = tests/unit/test_credit_metrics.c tests/unit/prom_value.h
tests_unit_test_credit_metrics_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_credit_metrics_LDADD = $(CREDIT_LIBS) $(COMMON_LIBS) $(CMOCKA_LIBS)
tests_unit_test_credit_metrics_LDFLAGS = -pthread
