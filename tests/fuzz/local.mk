# tests/fuzz — libFuzzer targets, built only with ./configure --enable-fuzz CC=clang
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_iso8583
tests_fuzz_fuzz_iso8583_SOURCES = tests/fuzz/fuzz_iso8583.c lib/iso8583/iso8583.c lib/iso8583/fields.c lib/iso8583/method.c
tests_fuzz_fuzz_iso8583_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_iso8583_LDFLAGS = -fsanitize=fuzzer,address,undefined
endif
