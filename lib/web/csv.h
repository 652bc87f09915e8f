/* csv.h — CSV text as RFC 4180 says (fields separated by commas, records
 * ended by CRLF, a field holding a comma, a quote, CR or LF put in double
 * quotes with its quotes doubled), with the formula-injection guard that a
 * spreadsheet needs: a field starting with = + - @, a tab or a CR gets a
 * leading apostrophe, so Excel or LibreOffice shows it as text instead of
 * running it as a formula (OWASP's "CSV injection").  Used by the HTML
 * history's export (cgi/history/ep_csv_get.c). */
#ifndef PAYGW_WEB_CSV_H
#define PAYGW_WEB_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* One record being built; a growing buffer.  Start it zeroed
 * (struct csv_line line = { 0 };) and free it with csv_line_free. */
struct csv_line {
  char *text; /* NUL-terminated; NULL until something was added */
  size_t len, cap;
  int fields; /* fields added since the last csv_end */
  bool oom;   /* an allocation failed: the text is incomplete */
};

/* True when a field starting with this text would be taken for a formula
 * (its first byte is = + - @, a tab or a CR). */
bool csv_needs_guard(const char *field);

/* Appends one field (NULL: an empty one), a comma before it unless it is
 * the record's first, guarded and quoted as above.  0, or -1 when memory
 * ran out (line->oom set). */
int csv_add(struct csv_line *line, const char *field);

/* Ends the record with CRLF.  0 or -1. */
int csv_end(struct csv_line *line);

/* Empties the text (keeping the buffer) for the next record. */
void csv_clear(struct csv_line *line);

void csv_line_free(struct csv_line *line);

#endif
