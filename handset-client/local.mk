# handset-client — `handset`, the shopper's program (figures 12-17): the UIM
# store (uim.c), the screens (screens.c), local authentication (auth.c),
# `pay` (cmd_pay.c), `shop` (cmd_shop.c, its URL and code checks in
# shopurl.c), `watch` (cmd_watch.c) and the payment application (payapp.c).
# docs/handset.md.
HANDSET_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) $(CURL_CFLAGS)
noinst_LIBRARIES += handset-client/libhandset.a
handset_client_libhandset_a_SOURCES = \
	handset-client/uim.c handset-client/uim.h \
	handset-client/screens.c handset-client/screens.h \
	handset-client/shopurl.c handset-client/shopurl.h
handset_client_libhandset_a_CFLAGS = $(HANDSET_CFLAGS)

bin_PROGRAMS += handset-client/handset
handset_client_handset_SOURCES = \
	handset-client/main.c handset-client/handset.h \
	handset-client/auth.c handset-client/cmd_pay.c handset-client/cmd_shop.c \
	handset-client/cmd_watch.c handset-client/payapp.c handset-client/tokenapp.c
handset_client_handset_CFLAGS = $(HANDSET_CFLAGS)
handset_client_handset_LDADD = handset-client/libhandset.a $(CLIENT_LIBS)

check_PROGRAMS += tests/unit/test_handset_uim tests/unit/test_handset_screens tests/unit/test_handset_shopurl
TESTS += tests/unit/test_handset_uim tests/unit/test_handset_screens tests/unit/test_handset_shopurl
tests_unit_test_handset_uim_SOURCES = tests/unit/test_handset_uim.c
tests_unit_test_handset_uim_CFLAGS = $(HANDSET_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_handset_uim_LDADD = handset-client/libhandset.a $(CLIENT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_handset_screens_SOURCES = tests/unit/test_handset_screens.c
tests_unit_test_handset_screens_CFLAGS = $(HANDSET_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_handset_screens_LDADD = handset-client/libhandset.a $(CLIENT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_handset_shopurl_SOURCES = tests/unit/test_handset_shopurl.c
tests_unit_test_handset_shopurl_CFLAGS = $(HANDSET_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_handset_shopurl_LDADD = handset-client/libhandset.a $(CLIENT_LIBS) $(CMOCKA_LIBS)
