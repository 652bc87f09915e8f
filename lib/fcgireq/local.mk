# lib/fcgireq — reading a FastCGI request (request line, request ID, query
# parameters, the body under a limit) for paygw.fcgi and shop.fcgi alike.
noinst_LIBRARIES += lib/fcgireq/libpaygw_fcgireq.a
lib_fcgireq_libpaygw_fcgireq_a_SOURCES = lib/fcgireq/fcgireq.c lib/fcgireq/fcgireq.h
lib_fcgireq_libpaygw_fcgireq_a_CFLAGS = $(AM_CFLAGS) $(FCGI_CFLAGS) $(OPENSSL_CFLAGS)
FCGIREQ_LIBS = lib/fcgireq/libpaygw_fcgireq.a $(FCGI_LIBS) $(OPENSSL_LIBS)

check_PROGRAMS += tests/unit/test_fcgireq
TESTS += tests/unit/test_fcgireq
tests_unit_test_fcgireq_SOURCES = tests/unit/test_fcgireq.c
tests_unit_test_fcgireq_CFLAGS = $(AM_CFLAGS) $(FCGI_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_fcgireq_LDADD = $(FCGIREQ_LIBS) $(CMOCKA_LIBS)
