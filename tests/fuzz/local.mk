# tests/fuzz — one libFuzzer harness per parser of outside input
# (docs/testing.md, "Fuzzing"), each with its seed corpus in corpus/<name>/.
#  - replay_<name>: the harness on every input of its corpus, a unit test of
#    every `make check` (any compiler);
#  - fuzz_<name>: the libFuzzer program, built only by ./configure
#    --enable-fuzz CC=clang, which instruments every library too (scripts/fuzz
#    builds them in a tree of its own, var/fuzz/).
FUZZER_MAIN = -fsanitize=fuzzer
FAKE_FCGI = tests/fuzz/fake_fcgi.c tests/fuzz/fake_fcgi.h

# the ISO 8583 decoder (lib/iso8583/iso8583.c): decode, encode, decode again
check_PROGRAMS += tests/fuzz/replay_iso8583
TESTS += tests/fuzz/replay_iso8583
tests_fuzz_replay_iso8583_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_iso8583.c
tests_fuzz_replay_iso8583_CPPFLAGS = -DFUZZ_HARNESS='"iso8583"'
tests_fuzz_replay_iso8583_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_iso8583_LDADD = $(ISO8583_LIBS) $(CMOCKA_LIBS)

# the credit server's frame reader and decode step (credit-server/server.c, handler.c)
check_PROGRAMS += tests/fuzz/replay_credit_frame
TESTS += tests/fuzz/replay_credit_frame
tests_fuzz_replay_credit_frame_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_credit_frame.c
tests_fuzz_replay_credit_frame_CPPFLAGS = -DFUZZ_HARNESS='"credit_frame"'
tests_fuzz_replay_credit_frame_CFLAGS = $(CREDIT_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_credit_frame_LDADD = $(CREDIT_LIBS) $(CMOCKA_LIBS)
tests_fuzz_replay_credit_frame_LDFLAGS = -pthread

# the gateway: request bodies against each endpoint's field table, headers, paths
check_PROGRAMS += tests/fuzz/replay_gateway_body tests/fuzz/replay_gateway_headers tests/fuzz/replay_gateway_path
TESTS += tests/fuzz/replay_gateway_body tests/fuzz/replay_gateway_headers tests/fuzz/replay_gateway_path
tests_fuzz_replay_gateway_body_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_gateway_body.c $(FAKE_FCGI)
tests_fuzz_replay_gateway_body_CPPFLAGS = -DFUZZ_HARNESS='"gateway_body"'
tests_fuzz_replay_gateway_body_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_gateway_body_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)
tests_fuzz_replay_gateway_headers_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_gateway_headers.c $(FAKE_FCGI)
tests_fuzz_replay_gateway_headers_CPPFLAGS = -DFUZZ_HARNESS='"gateway_headers"'
tests_fuzz_replay_gateway_headers_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_gateway_headers_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)
tests_fuzz_replay_gateway_path_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_gateway_path.c $(FAKE_FCGI)
tests_fuzz_replay_gateway_path_CPPFLAGS = -DFUZZ_HARNESS='"gateway_path"'
tests_fuzz_replay_gateway_path_CFLAGS = $(GATEWAY_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_gateway_path_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS) $(CMOCKA_LIBS)

# the handset's UIM store, the proximity link, the POS configuration
check_PROGRAMS += tests/fuzz/replay_uim tests/fuzz/replay_proxlink tests/fuzz/replay_posconf
TESTS += tests/fuzz/replay_uim tests/fuzz/replay_proxlink tests/fuzz/replay_posconf
tests_fuzz_replay_uim_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_uim.c
tests_fuzz_replay_uim_CPPFLAGS = -DFUZZ_HARNESS='"uim"'
tests_fuzz_replay_uim_CFLAGS = $(HANDSET_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_uim_LDADD = handset-client/libhandset.a $(CLIENT_LIBS) $(CMOCKA_LIBS)
tests_fuzz_replay_proxlink_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_proxlink.c
tests_fuzz_replay_proxlink_CPPFLAGS = -DFUZZ_HARNESS='"proxlink"'
tests_fuzz_replay_proxlink_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_proxlink_LDADD = $(CLIENT_LIBS) $(CMOCKA_LIBS)
tests_fuzz_replay_posconf_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_posconf.c
tests_fuzz_replay_posconf_CPPFLAGS = -DFUZZ_HARNESS='"posconf"'
tests_fuzz_replay_posconf_CFLAGS = $(POS_CFLAGS) $(CMOCKA_CFLAGS)
tests_fuzz_replay_posconf_LDADD = pos-client/libpos.a $(CLIENT_LIBS) $(CMOCKA_LIBS)

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_iso8583 tests/fuzz/fuzz_credit_frame \
	tests/fuzz/fuzz_gateway_body tests/fuzz/fuzz_gateway_headers tests/fuzz/fuzz_gateway_path \
	tests/fuzz/fuzz_uim tests/fuzz/fuzz_proxlink tests/fuzz/fuzz_posconf
tests_fuzz_fuzz_iso8583_SOURCES = tests/fuzz/fuzz_iso8583.c
tests_fuzz_fuzz_iso8583_LDADD = $(ISO8583_LIBS)
tests_fuzz_fuzz_iso8583_LDFLAGS = $(FUZZER_MAIN)
tests_fuzz_fuzz_credit_frame_SOURCES = tests/fuzz/fuzz_credit_frame.c
tests_fuzz_fuzz_credit_frame_CFLAGS = $(CREDIT_CFLAGS)
tests_fuzz_fuzz_credit_frame_LDADD = $(CREDIT_LIBS)
tests_fuzz_fuzz_credit_frame_LDFLAGS = $(FUZZER_MAIN) -pthread
tests_fuzz_fuzz_gateway_body_SOURCES = tests/fuzz/fuzz_gateway_body.c $(FAKE_FCGI)
tests_fuzz_fuzz_gateway_body_CFLAGS = $(GATEWAY_CFLAGS)
tests_fuzz_fuzz_gateway_body_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS)
tests_fuzz_fuzz_gateway_body_LDFLAGS = $(FUZZER_MAIN)
tests_fuzz_fuzz_gateway_headers_SOURCES = tests/fuzz/fuzz_gateway_headers.c $(FAKE_FCGI)
tests_fuzz_fuzz_gateway_headers_CFLAGS = $(GATEWAY_CFLAGS)
tests_fuzz_fuzz_gateway_headers_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS)
tests_fuzz_fuzz_gateway_headers_LDFLAGS = $(FUZZER_MAIN)
tests_fuzz_fuzz_gateway_path_SOURCES = tests/fuzz/fuzz_gateway_path.c $(FAKE_FCGI)
tests_fuzz_fuzz_gateway_path_CFLAGS = $(GATEWAY_CFLAGS)
tests_fuzz_fuzz_gateway_path_LDADD = cgi/gateway/libgateway.a $(GATEWAY_LIBS)
tests_fuzz_fuzz_gateway_path_LDFLAGS = $(FUZZER_MAIN)
tests_fuzz_fuzz_uim_SOURCES = tests/fuzz/fuzz_uim.c
tests_fuzz_fuzz_uim_CFLAGS = $(HANDSET_CFLAGS)
tests_fuzz_fuzz_uim_LDADD = handset-client/libhandset.a $(CLIENT_LIBS)
tests_fuzz_fuzz_uim_LDFLAGS = $(FUZZER_MAIN)
tests_fuzz_fuzz_proxlink_SOURCES = tests/fuzz/fuzz_proxlink.c
tests_fuzz_fuzz_proxlink_LDADD = $(CLIENT_LIBS)
tests_fuzz_fuzz_proxlink_LDFLAGS = $(FUZZER_MAIN)
tests_fuzz_fuzz_posconf_SOURCES = tests/fuzz/fuzz_posconf.c
tests_fuzz_fuzz_posconf_CFLAGS = $(POS_CFLAGS)
tests_fuzz_fuzz_posconf_LDADD = pos-client/libpos.a $(CLIENT_LIBS)
tests_fuzz_fuzz_posconf_LDFLAGS = $(FUZZER_MAIN)
endif
