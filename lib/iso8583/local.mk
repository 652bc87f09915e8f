# lib/iso8583 — the ISO 8583:1987 codec, its framing, and the link under
# mutual TLS, used by the gateway, the credit server and the tests
# (docs/iso8583.md).
noinst_LIBRARIES += lib/iso8583/libiso8583.a
lib_iso8583_libiso8583_a_SOURCES = \
	lib/iso8583/iso8583.c lib/iso8583/iso8583.h \
	lib/iso8583/fields.c lib/iso8583/method.c lib/iso8583/original.c lib/iso8583/authmsg.c lib/iso8583/authmsg.h \
	lib/iso8583/frame.c lib/iso8583/frame.h lib/iso8583/wait.h \
	lib/iso8583/tls.c lib/iso8583/tls_ctx.c lib/iso8583/tls.h lib/iso8583/tls_internal.h
lib_iso8583_libiso8583_a_CFLAGS = $(AM_CFLAGS) $(LIBSSL_CFLAGS) $(OPENSSL_CFLAGS)
ISO8583_LIBS = lib/iso8583/libiso8583.a $(LIBSSL_LIBS) $(OPENSSL_LIBS) -lpthread

check_PROGRAMS += tests/unit/test_iso8583
TESTS += tests/unit/test_iso8583
tests_unit_test_iso8583_SOURCES = tests/unit/test_iso8583.c
tests_unit_test_iso8583_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_iso8583_LDADD = $(ISO8583_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_iso8583_fuzz
TESTS += tests/unit/test_iso8583_fuzz
tests_unit_test_iso8583_fuzz_SOURCES = tests/unit/test_iso8583_fuzz.c
tests_unit_test_iso8583_fuzz_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_iso8583_fuzz_LDADD = $(ISO8583_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_iso8583_frame
TESTS += tests/unit/test_iso8583_frame
tests_unit_test_iso8583_frame_SOURCES = tests/unit/test_iso8583_frame.c
tests_unit_test_iso8583_frame_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -pthread
tests_unit_test_iso8583_frame_LDADD = $(ISO8583_LIBS) $(CMOCKA_LIBS) -lpthread

check_PROGRAMS += tests/unit/test_iso8583_tls
TESTS += tests/unit/test_iso8583_tls
tests_unit_test_iso8583_tls_SOURCES = tests/unit/test_iso8583_tls.c
tests_unit_test_iso8583_tls_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBSSL_CFLAGS) $(OPENSSL_CFLAGS) -pthread
tests_unit_test_iso8583_tls_LDADD = $(ISO8583_LIBS) $(CMOCKA_LIBS)

# docs/iso8583.md's field table and fields.c agree (reads both from $srcdir)
check_PROGRAMS += tests/unit/test_iso8583_doc
TESTS += tests/unit/test_iso8583_doc
tests_unit_test_iso8583_doc_SOURCES = tests/unit/test_iso8583_doc.c
tests_unit_test_iso8583_doc_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir) -I$(top_srcdir)/cgi $(CMOCKA_CFLAGS)
tests_unit_test_iso8583_doc_LDADD = $(ISO8583_LIBS) $(CMOCKA_LIBS)
