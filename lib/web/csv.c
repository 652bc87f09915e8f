/* csv.c — RFC 4180 fields and records with the formula-injection guard
 * (csv.h). */
#include "web/csv.h"

#include <stdlib.h>
#include <string.h>

static int reserve(struct csv_line *line, size_t more)
{
  if (line->oom)
    return -1;
  if (line->len + more + 1 <= line->cap)
    return 0;
  size_t cap = line->cap ? line->cap : 256;
  while (cap < line->len + more + 1)
    cap *= 2;
  char *text = realloc(line->text, cap);
  if (!text) {
    line->oom = true;
    return -1;
  }
  line->text = text;
  line->cap = cap;
  return 0;
}

static void put(struct csv_line *line, char c)
{
  line->text[line->len++] = c;
  line->text[line->len] = '\0';
}

bool csv_needs_guard(const char *field)
{
  return field && field[0] && strchr("=+-@\t\r", field[0]) != NULL;
}

int csv_add(struct csv_line *line, const char *field)
{
  const char *f = field ? field : "";
  bool guard = csv_needs_guard(f);
  bool quote = strpbrk(f, ",\"\r\n") != NULL;
  size_t quotes = 0;

  for (const char *p = f; *p; p++)
    quotes += *p == '"';
  /* comma, apostrophe, two quotes, the field with its quotes doubled */
  if (reserve(line, 4 + strlen(f) + quotes) != 0)
    return -1;
  if (line->fields > 0)
    put(line, ',');
  if (quote)
    put(line, '"');
  if (guard)
    put(line, '\'');
  for (const char *p = f; *p; p++) {
    if (*p == '"')
      put(line, '"');
    put(line, *p);
  }
  if (quote)
    put(line, '"');
  line->fields++;
  return 0;
}

int csv_end(struct csv_line *line)
{
  if (reserve(line, 2) != 0)
    return -1;
  put(line, '\r');
  put(line, '\n');
  line->fields = 0;
  return 0;
}

void csv_clear(struct csv_line *line)
{
  line->len = 0;
  line->fields = 0;
  if (line->text)
    line->text[0] = '\0';
}

void csv_line_free(struct csv_line *line)
{
  free(line->text);
  memset(line, 0, sizeof *line);
}
