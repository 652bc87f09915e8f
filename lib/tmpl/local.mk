# lib/tmpl — the shop's HTML templates: a mustache subset over Jansson
# values, every value HTML-escaped (tmpl.h, docs/templates.md).
noinst_LIBRARIES += lib/tmpl/libpaygw_tmpl.a
lib_tmpl_libpaygw_tmpl_a_SOURCES = \
	lib/tmpl/tmpl.h lib/tmpl/tmpl_internal.h \
	lib/tmpl/tmpl_load.c lib/tmpl/tmpl_render.c
lib_tmpl_libpaygw_tmpl_a_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
TMPL_LIBS = lib/tmpl/libpaygw_tmpl.a $(JANSSON_LIBS)

check_PROGRAMS += tests/unit/test_tmpl
TESTS += tests/unit/test_tmpl
tests_unit_test_tmpl_SOURCES = tests/unit/test_tmpl.c
tests_unit_test_tmpl_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_tmpl_LDADD = $(TMPL_LIBS) $(CMOCKA_LIBS)
