/* test_admin_list.c — unit tests of how paygw-admin's list commands get
 * and print their rows without a database: admin/db/table.c copies a
 * result (made here with libpq's PQmakeEmptyPGresult) into a struct
 * adb_table, admin/list.c prints it in aligned columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "admin.h"
#include "db/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A result of the given column names and cells (NULL: SQL NULL). */
static PGresult *make_result(int cols, const char *const *names, int rows, const char *const *cells)
{
  PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
  PGresAttDesc attrs[8];

  memset(attrs, 0, sizeof attrs);
  for (int c = 0; c < cols; c++) {
    attrs[c].name = (char *)names[c];
    attrs[c].typid = 25; /* text */
    attrs[c].typlen = -1;
    attrs[c].atttypmod = -1;
  }
  assert_int_equal(PQsetResultAttrs(res, cols, attrs), 1);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) {
      const char *v = cells[r * cols + c];
      assert_int_equal(PQsetvalue(res, r, c, (char *)v, v ? (int)strlen(v) : -1), 1);
    }
  return res;
}

/* What admin_table_print writes for t, malloc'd. */
static char *printed(const struct adb_table *t)
{
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);

  assert_non_null(out);
  admin_table_print(out, t);
  fclose(out);
  return text;
}

static void columns_pad_to_their_widest_cell_but_the_last(void **state)
{
  const char *names[] = { "code", "name", "ranges" };
  const char *cells[] = { "2a11111", "Issuer A", "3", "B", "A much longer name", "12" };
  struct adb_table t;
  (void)state;

  PGresult *res = make_result(3, names, 2, cells);
  assert_int_equal(adb_table_from_result(res, &t), 0);
  PQclear(res);
  char *text = printed(&t);
  assert_string_equal(text, "code     name                ranges\n"
                            "2a11111  Issuer A            3\n"
                            "B        A much longer name  12\n");
  free(text);
  adb_table_free(&t);
  assert_null(t.cells);
}

static void a_null_cell_prints_empty_and_no_rows_prints_the_header(void **state)
{
  const char *names[] = { "user_id", "locked_until" };
  const char *cells[] = { NULL, "-" };
  struct adb_table t;
  (void)state;

  PGresult *res = make_result(2, names, 1, cells);
  assert_int_equal(adb_table_from_result(res, &t), 0);
  PQclear(res);
  assert_string_equal(t.cells[0], "");
  char *text = printed(&t);
  assert_string_equal(text, "user_id  locked_until\n"
                            "         -\n");
  free(text);
  adb_table_free(&t);

  res = make_result(2, names, 0, NULL);
  assert_int_equal(adb_table_from_result(res, &t), 0);
  PQclear(res);
  text = printed(&t);
  assert_string_equal(text, "user_id  locked_until\n");
  free(text);
  adb_table_free(&t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(columns_pad_to_their_widest_cell_but_the_last),
    cmocka_unit_test(a_null_cell_prints_empty_and_no_rows_prints_the_header),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
