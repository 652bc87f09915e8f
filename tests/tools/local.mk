# tests/tools — programs the integration tests drive (not installed).

# a PostgreSQL wire-protocol proxy that cuts a connection at a commit
# (tests/api/flow_commit_in_doubt.t)
noinst_PROGRAMS += tests/tools/pg-cut-proxy
tests_tools_pg_cut_proxy_SOURCES = tests/tools/pg-cut-proxy.c
tests_tools_pg_cut_proxy_CFLAGS = $(AM_CFLAGS) -pthread
tests_tools_pg_cut_proxy_LDFLAGS = -pthread
# tests/tools — programs the tests run (iso-send is built by credit-server/local.mk).
if ENABLE_SANITIZE
# a planted defect of each kind, for scripts/check --sanitize's own check
noinst_PROGRAMS += tests/tools/sanitizer-canary
tests_tools_sanitizer_canary_SOURCES = tests/tools/sanitizer-canary.c
endif

# what the gateway makes for a token request (key ID, key, encrypted card
# number), for the credit server's token tests (tests/api/credit_token_*.t)
noinst_PROGRAMS += tests/tools/token-make
tests_tools_token_make_SOURCES = tests/tools/token-make.c
tests_tools_token_make_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_tools_token_make_LDADD = $(COMMON_LIBS)
