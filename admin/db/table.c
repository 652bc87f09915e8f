/* table.c — the rows of a list statement as a struct adb_table (see
 * table.h): every column as text, in the statement's own order, so a new
 * column in a list's SELECT shows without touching its command. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

void adb_table_free(struct adb_table *t)
{
  for (int c = 0; t->names && c < t->n_cols; c++)
    free(t->names[c]);
  for (int i = 0; t->cells && i < t->n_cols * t->n_rows; i++)
    free(t->cells[i]);
  free(t->names);
  free(t->cells);
  memset(t, 0, sizeof *t);
}

int adb_table_from_result(const PGresult *res, struct adb_table *out)
{
  memset(out, 0, sizeof *out);
  int cols = PQnfields(res), rows = PQntuples(res);

  out->names = calloc((size_t)cols + 1, sizeof *out->names);
  out->cells = calloc((size_t)cols * (size_t)rows + 1, sizeof *out->cells);
  if (!out->names || !out->cells)
    return -1;
  out->n_cols = cols;
  out->n_rows = rows;
  for (int c = 0; c < cols; c++)
    if (!(out->names[c] = strdup(PQfname(res, c))))
      return -1;
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      if (!(out->cells[r * cols + c] = strdup(PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c))))
        return -1;
  return 0;
}

enum db_status adb_table_read(struct db *db, struct db_statement *st, struct adb_table *out)
{
  PGresult *res = NULL;
  enum db_status s;

  memset(out, 0, sizeof *out);
  s = db_call(db, st, NULL, &res);
  if (s >= 0 && adb_table_from_result(res, out) != 0)
    s = DB_HARD_ERROR;
  if (res)
    PQclear(res);
  return s;
}
