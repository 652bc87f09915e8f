# lib/db — the PostgreSQL layer every program shares: connection, prepared
# statements, one call per statement, the transaction runner (db.h).
noinst_LIBRARIES += lib/db/libpaygw_db.a
lib_db_libpaygw_db_a_SOURCES = \
	lib/db/db.c lib/db/db.h lib/db/db_internal.h \
	lib/db/fence.c lib/db/incarnation.c lib/db/params.c lib/db/result.c lib/db/transaction.c
lib_db_libpaygw_db_a_CFLAGS = $(AM_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS)
DB_LIBS = lib/db/libpaygw_db.a $(LIBPQ_LIBS) $(COMMON_LIBS)
