# tests/tools — programs the integration tests drive (not installed).

# a PostgreSQL wire-protocol proxy that cuts a connection at a commit
# (tests/api/flow_commit_in_doubt.t)
noinst_PROGRAMS += tests/tools/pg-cut-proxy
tests_tools_pg_cut_proxy_SOURCES = tests/tools/pg-cut-proxy.c
tests_tools_pg_cut_proxy_CFLAGS = $(AM_CFLAGS) -pthread
tests_tools_pg_cut_proxy_LDFLAGS = -pthread
