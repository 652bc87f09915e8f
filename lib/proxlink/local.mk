# lib/proxlink — what the two clients (handset, pos) share: the proximity
# link's line protocol and sockets, JSON over HTTPS to the gateway (libcurl),
# money and time formatting, terminal prompts, waiting for a gateway that
# does not answer (reach.c).
noinst_LIBRARIES += lib/proxlink/libpaygw_client.a
lib_proxlink_libpaygw_client_a_SOURCES = \
	lib/proxlink/proxlink.c lib/proxlink/proxlink.h \
	lib/proxlink/gwhttp.c lib/proxlink/gwhttp.h \
	lib/proxlink/clientutil.c lib/proxlink/clientutil.h \
	lib/proxlink/prompt.c lib/proxlink/prompt.h \
	lib/proxlink/reach.c lib/proxlink/reach.h
lib_proxlink_libpaygw_client_a_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) $(CURL_CFLAGS)
CLIENT_LIBS = lib/proxlink/libpaygw_client.a $(COMMON_LIBS) $(CURL_LIBS)

check_PROGRAMS += tests/unit/test_proxlink
TESTS += tests/unit/test_proxlink
tests_unit_test_proxlink_SOURCES = tests/unit/test_proxlink.c
tests_unit_test_proxlink_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_proxlink_LDADD = $(CLIENT_LIBS) $(CMOCKA_LIBS)
