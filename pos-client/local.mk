# pos-client — `pos`, the shop's POS terminal (figure 18): the sale and its
# receipt and journal line (sale.c), settings (posconf.c), the flow (main.c).
# docs/pos.md.
POS_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) $(CURL_CFLAGS)
noinst_LIBRARIES += pos-client/libpos.a
pos_client_libpos_a_SOURCES = \
	pos-client/sale.c pos-client/sale.h \
	pos-client/posconf.c pos-client/posconf.h
pos_client_libpos_a_CFLAGS = $(POS_CFLAGS)

bin_PROGRAMS += pos-client/pos
pos_client_pos_SOURCES = pos-client/main.c
pos_client_pos_CFLAGS = $(POS_CFLAGS)
pos_client_pos_LDADD = pos-client/libpos.a $(CLIENT_LIBS)

check_PROGRAMS += tests/unit/test_pos_sale
TESTS += tests/unit/test_pos_sale
tests_unit_test_pos_sale_SOURCES = tests/unit/test_pos_sale.c
tests_unit_test_pos_sale_CFLAGS = $(POS_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_pos_sale_LDADD = pos-client/libpos.a $(CLIENT_LIBS) $(CMOCKA_LIBS)
