/* result.c — reading a result by column name, checked: asking for a column
 * the statement does not return is a bug in the operation's file, logged
 * with the caller's file and line (LOG_BUG), never a silent "". */
#include "db/db.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int column(const PGresult *res, int row, const char *name, const char *file, int line)
{
  int col = res ? PQfnumber(res, name) : -1;

  if (col < 0) {
    log_bug(file, line, "the result has no column %s", name);
    return -1;
  }
  if (row < 0 || row >= PQntuples(res)) {
    log_bug(file, line, "the result has no row %d (column %s)", row, name);
    return -1;
  }
  return col;
}

bool db_null_at(const PGresult *res, int row, const char *name, const char *file, int line)
{
  int col = column(res, row, name, file, line);
  return col < 0 || PQgetisnull(res, row, col);
}

const char *db_text_at(const PGresult *res, int row, const char *name, const char *file, int line)
{
  int col = column(res, row, name, file, line);
  return col < 0 || PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

int64_t db_int64_at(const PGresult *res, int row, const char *name, const char *file, int line)
{
  return strtoll(db_text_at(res, row, name, file, line), NULL, 10);
}

bool db_bool_at(const PGresult *res, int row, const char *name, const char *file, int line)
{
  return strcmp(db_text_at(res, row, name, file, line), "t") == 0;
}

void db_copy_at(const PGresult *res, int row, const char *name, char *dst, size_t cap, const char *file, int line)
{
  const char *v = db_text_at(res, row, name, file, line);

  if (cap == 0)
    return;
  if (strlen(v) >= cap)
    log_bug(file, line, "column %s: a value of %zu bytes for a buffer of %zu", name, strlen(v), cap);
  snprintf(dst, cap, "%s", v);
}

enum db_status db_call_copy_at(struct db *db, struct db_statement *st, const struct db_params *p, const char *column,
                               char *dst, size_t cap, const char *file, int line)
{
  PGresult *res = NULL;

  if (cap > 0)
    dst[0] = '\0';
  enum db_status s = db_call(db, st, p, &res);
  if (s == DB_ONE_ROW)
    db_copy_at(res, 0, column, dst, cap, file, line);
  else if (s >= 0)
    s = DB_NO_ROWS;
  if (res)
    PQclear(res);
  return s;
}

int db_word_index(const char *word, const char *const *words, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (words[i] && strcmp(word, words[i]) == 0)
      return (int)i;
  return -1;
}

enum db_status db_outcome_at(enum db_status s, const PGresult *res, const char *function, const char *const *words,
                             size_t n, int *outcome, const char *file, int line)
{
  *outcome = -1;
  if (s < 0)
    return s;
  if (!res || PQntuples(res) < 1) {
    log_bug(file, line, "%s answered no row", function);
    return DB_HARD_ERROR;
  }
  const char *word = db_text_at(res, 0, "outcome", file, line);
  *outcome = db_word_index(word, words, n);
  if (*outcome < 0) {
    log_bug(file, line, "%s answered outcome %s", function, word);
    return DB_HARD_ERROR;
  }
  return DB_ONE_ROW;
}
