# lib/web — what the web pages' programs share (shop.fcgi, history.fcgi):
# the FastCGI worker loop and its log line (worker.c), the request line and
# body (request.c), answers with their headers (answer.c), rendered pages
# (page.c), route patterns (route.c), form bodies, cookies, session tokens
# (random hex, SHA-256, constant-time comparison) and sums of money.  Their
# security headers are nginx's (conf/nginx/page_headers.conf), the templates
# lib/tmpl's.  Also CSV records (the history's export); amounts as text are
# lib/common/money_text's.
noinst_LIBRARIES += lib/web/libpaygw_web.a
lib_web_libpaygw_web_a_SOURCES = \
	lib/web/form.c lib/web/form.h \
	lib/web/cookie.c lib/web/cookie.h \
	lib/web/token.c lib/web/token.h \
	lib/web/money.c lib/web/money.h \
	lib/web/csv.c lib/web/csv.h \
	lib/web/request.c lib/web/request.h \
	lib/web/answer.c lib/web/answer.h \
	lib/web/page.c lib/web/page.h \
	lib/web/route.c lib/web/route.h \
	lib/web/worker.c lib/web/worker.h
lib_web_libpaygw_web_a_CFLAGS = $(AM_CFLAGS) $(FCGI_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS)
WEB_LIBS = lib/web/libpaygw_web.a $(OPENSSL_LIBS)

check_PROGRAMS += tests/unit/test_web
TESTS += tests/unit/test_web
tests_unit_test_web_SOURCES = tests/unit/test_web.c
tests_unit_test_web_CFLAGS = $(AM_CFLAGS) $(FCGI_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_web_LDADD = $(WEB_LIBS) $(FCGIREQ_LIBS) $(COMMON_LIBS) $(CMOCKA_LIBS)
