# bench — bench/flows, the payment-flow benchmark (issue 7): C concurrent
# first-embodiment payments through nginx + TLS, the no-work ping figure,
# pgbench, CPU and memory samples, and PostgreSQL's statement and
# transaction counts.  scripts/bench sets up a stack and runs it.
noinst_PROGRAMS += bench/flows
bench_flows_SOURCES = \
	bench/flows.c \
	bench/hist.c bench/hist.h \
	bench/http.c bench/http.h \
	bench/flow.c bench/flow.h \
	bench/limits.c bench/limits.h \
	bench/pgstats.c bench/pgstats.h
bench_flows_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir) $(CURL_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) -pthread
bench_flows_LDADD = $(CURL_LIBS) $(LIBPQ_LIBS) $(COMMON_LIBS) -lpthread

# unit test of the latency histogram
check_PROGRAMS += tests/unit/test_bench_hist
TESTS += tests/unit/test_bench_hist
tests_unit_test_bench_hist_SOURCES = tests/unit/test_bench_hist.c bench/hist.c bench/hist.h
tests_unit_test_bench_hist_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir) $(CMOCKA_CFLAGS)
tests_unit_test_bench_hist_LDADD = $(CMOCKA_LIBS)
EXTRA_DIST += bench/enrol-users bench/history-pages
