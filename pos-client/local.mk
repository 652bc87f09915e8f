# pos-client — `pos`, the shop's POS terminal (figure 18): the sale and its
# receipt and journal line (sale.c), settings (posconf.c), the flow
# (main.c); token sales (second embodiment): the token's 0100, journal
# lines and recovery scan (token.c), the STAN counter (stan.c), the credit
# server's link (credit.c), the flow after the token (token_sale.c);
# refunds: the request, journal lines and marks (refund.c), the receipt and
# list (refund_slip.c), the flow and its recovery (refund_run.c).
# docs/pos.md.
POS_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) $(LIBSSL_CFLAGS) $(CURL_CFLAGS)
noinst_LIBRARIES += pos-client/libpos.a
pos_client_libpos_a_SOURCES = \
	pos-client/sale.c pos-client/sale.h \
	pos-client/posconf.c pos-client/posconf.h \
	pos-client/token.c pos-client/token.h \
	pos-client/stan.c pos-client/stan.h \
	pos-client/credit.c pos-client/credit.h \
	pos-client/refund.c pos-client/refund.h \
	pos-client/refund_slip.c
pos_client_libpos_a_CFLAGS = $(POS_CFLAGS)
POS_LIBS = pos-client/libpos.a $(ISO8583_LIBS) $(CLIENT_LIBS)

bin_PROGRAMS += pos-client/pos
pos_client_pos_SOURCES = pos-client/main.c pos-client/pos.h pos-client/token_sale.c pos-client/refund_run.c
pos_client_pos_CFLAGS = $(POS_CFLAGS)
pos_client_pos_LDADD = $(POS_LIBS)

check_PROGRAMS += tests/unit/test_pos_sale
TESTS += tests/unit/test_pos_sale
tests_unit_test_pos_sale_SOURCES = tests/unit/test_pos_sale.c
tests_unit_test_pos_sale_CFLAGS = $(POS_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_pos_sale_LDADD = $(POS_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_pos_token
TESTS += tests/unit/test_pos_token
tests_unit_test_pos_token_SOURCES = tests/unit/test_pos_token.c
tests_unit_test_pos_token_CFLAGS = $(POS_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_pos_token_LDADD = $(POS_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_pos_refund
TESTS += tests/unit/test_pos_refund
tests_unit_test_pos_refund_SOURCES = tests/unit/test_pos_refund.c
tests_unit_test_pos_refund_CFLAGS = $(POS_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_pos_refund_LDADD = $(POS_LIBS) $(CMOCKA_LIBS)
