/* table.h — inside admin/db only: a list statement's rows copied into a
 * struct adb_table (ops.h), so the `list` commands print them without
 * libpq. */
#ifndef PAYGW_ADMIN_DB_TABLE_H
#define PAYGW_ADMIN_DB_TABLE_H

#include "ops.h"

/* Runs st (no parameters) and copies its column names and cells into
 * out (zeroed first; adb_table_free frees it, whatever the status). */
enum db_status adb_table_read(struct db *db, struct db_statement *st, struct adb_table *out);

/* Copies a result into out.  Returns 0, or -1 when out of memory. */
int adb_table_from_result(const PGresult *res, struct adb_table *out);

#endif
