# lib/iso8583 — the ISO 8583:1987 codec and its TCP framing, used by the
# gateway, the credit server and the tests (docs/iso8583.md).
noinst_LIBRARIES += lib/iso8583/libiso8583.a
lib_iso8583_libiso8583_a_SOURCES = \
	lib/iso8583/iso8583.c lib/iso8583/iso8583.h \
	lib/iso8583/fields.c lib/iso8583/method.c \
	lib/iso8583/frame.c lib/iso8583/frame.h
ISO8583_LIBS = lib/iso8583/libiso8583.a

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
