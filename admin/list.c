/* list.c — how the `list` commands print a table (db/ops.h's struct
 * adb_table): the column names, then the rows, each column but the last
 * padded to its widest cell.  Apart from support.c so a unit test can
 * print a table without a database. */
#include "admin.h"

#include <string.h>

#define LIST_MAX_COLUMNS 32

static void print_line(FILE *out, char *const *cells, int cols, const int *widths)
{
  for (int c = 0; c < cols; c++) {
    if (c == cols - 1)
      fprintf(out, "%s\n", cells[c]);
    else
      fprintf(out, "%-*s  ", widths[c], cells[c]);
  }
}

void admin_table_print(FILE *out, const struct adb_table *t)
{
  int widths[LIST_MAX_COLUMNS] = { 0 };
  int cols = t->n_cols < LIST_MAX_COLUMNS ? t->n_cols : LIST_MAX_COLUMNS;

  for (int c = 0; c < cols; c++) {
    widths[c] = (int)strlen(t->names[c]);
    for (int r = 0; r < t->n_rows; r++)
      if ((int)strlen(t->cells[r * t->n_cols + c]) > widths[c])
        widths[c] = (int)strlen(t->cells[r * t->n_cols + c]);
  }
  print_line(out, t->names, cols, widths);
  for (int r = 0; r < t->n_rows; r++)
    print_line(out, t->cells + r * t->n_cols, cols, widths);
}
