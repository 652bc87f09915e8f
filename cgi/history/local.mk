# cgi/history — history.fcgi, the shopper's transaction history as HTML
# (docs/history.md): one ep_*.c per URL, its database operations db/*.c,
# its pages templates/*.html (lib/tmpl), its static files www/history/static/.
HISTORY_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/cgi $(FCGI_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) \
	-DHISTORY_TEMPLATE_DIR='"$(historytemplatesdir)"'
HISTORY_LIBS = $(WEB_LIBS) $(FCGIREQ_LIBS) $(TMPL_LIBS) $(DB_LIBS) $(COMMON_LIBS)

# everything but main.c, so the unit tests link the same code.
# Sign-in and sessions:
HISTORY_CORE_SOURCES = \
	cgi/history/request.c cgi/history/request.h \
	cgi/history/reply.c cgi/history/reply.h \
	cgi/history/settings.c cgi/history/settings.h \
	cgi/history/router.c cgi/history/router.h cgi/history/endpoints.h \
	cgi/history/signin_rules.c cgi/history/signin_rules.h \
	cgi/history/session.c cgi/history/session.h \
	cgi/history/ep_root_get.c cgi/history/ep_sign_in_get.c cgi/history/ep_sign_in_post.c \
	cgi/history/ep_sign_out_post.c \
	cgi/history/db/sessions_db.c cgi/history/db/sessions_db.h \
	cgi/history/db/users_db.c cgi/history/db/users_db.h

# The pages: the list, one transaction, the CSV
HISTORY_PAGES_SOURCES = \
	cgi/history/ep_list_get.c cgi/history/ep_transaction_get.c cgi/history/ep_csv_get.c \
	cgi/history/query.c cgi/history/query.h \
	cgi/history/txn_view.c cgi/history/txn_view.h \
	cgi/history/refund_view.c cgi/history/refund_view.h \
	cgi/history/db/history_db.h cgi/history/db/history_list.c cgi/history/db/history_totals.c \
	cgi/history/db/history_detail.c

noinst_LIBRARIES += cgi/history/libhistory.a
cgi_history_libhistory_a_CFLAGS = $(HISTORY_CFLAGS)
cgi_history_libhistory_a_SOURCES = $(HISTORY_CORE_SOURCES) $(HISTORY_PAGES_SOURCES)

pkglibexec_PROGRAMS += cgi/history/history.fcgi
cgi_history_history_fcgi_SOURCES = cgi/history/main.c
cgi_history_history_fcgi_CFLAGS = $(HISTORY_CFLAGS)
cgi_history_history_fcgi_LDADD = cgi/history/libhistory.a $(HISTORY_LIBS)

# The pages' templates, read at start from the installed copy unless
# PAYGW_HISTORY_TEMPLATE_DIR names another folder (scripts/stack: this one)
historytemplatesdir = $(pkgdatadir)/templates/history
dist_historytemplates_DATA = \
	cgi/history/templates/error.html cgi/history/templates/foot.html cgi/history/templates/head.html \
	cgi/history/templates/header.html cgi/history/templates/list.html cgi/history/templates/not_found.html \
	cgi/history/templates/placeholder.html cgi/history/templates/sign_in.html \
	cgi/history/templates/transaction.html

# sign-in's pure rules
check_PROGRAMS += tests/unit/test_history
TESTS += tests/unit/test_history
tests_unit_test_history_SOURCES = tests/unit/test_history.c
tests_unit_test_history_CFLAGS = $(HISTORY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_history_LDADD = cgi/history/libhistory.a $(HISTORY_LIBS) $(CMOCKA_LIBS)

# the pages' pure logic: CSV records and the formula guard (lib/web/csv.c),
# the query, keyset cursors and page links (query.c), words and CSV rows of
# a transaction (txn_view.c)
check_PROGRAMS += tests/unit/test_history_pages
TESTS += tests/unit/test_history_pages
tests_unit_test_history_pages_SOURCES = tests/unit/test_history_pages.c
tests_unit_test_history_pages_CFLAGS = $(HISTORY_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_history_pages_LDADD = cgi/history/libhistory.a $(HISTORY_LIBS) $(CMOCKA_LIBS)
