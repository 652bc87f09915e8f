/* test_iso8583_doc.c — one source per fact: lib/iso8583/fields.c declares
 * each field's format, and docs/iso8583.md's "Fields" table must say the
 * same, row for row, both ways (a field in one and not the other fails).
 * Also: each row of fields.c carries the right /\*NNN*\/ tag, and the
 * buffers the credit server and the gateway copy fields into hold them at
 * the lengths fields.c gives.  Files are read from $srcdir (set by make
 * check), or the current directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "iso8583/iso8583.h"
#include "credit-server/credit.h"
#include "gateway/issuer_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doc_row {
  int first, last; /* "60-63": one row for four fields */
  char name[80];
  enum iso_type type;
  enum iso_len len_kind;
  int max_len;
};

static FILE *open_source(const char *path)
{
  const char *srcdir = getenv("srcdir");
  char full[1024];

  snprintf(full, sizeof full, "%s/%s", srcdir && *srcdir ? srcdir : ".", path);
  FILE *f = fopen(full, "r");
  if (!f)
    fail_msg("cannot read %s", full);
  return f;
}

/* Copies the trimmed cell between bars into out. */
static void trimmed(const char *from, const char *to, char *out, size_t cap)
{
  while (from < to && *from == ' ')
    from++;
  while (to > from && to[-1] == ' ')
    to--;
  snprintf(out, cap, "%.*s", (int)(to - from), from);
}

/* "n 6", "an 12", "ans 8", "n..19 LLVAR", "ans..999 LLLVAR". */
static bool parse_format(const char *text, struct doc_row *r)
{
  char type[8], kind[8] = "";
  int n = 0;

  if (sscanf(text, "%7[a-z] %d%n", type, &r->max_len, &n) == 2 && text[n] == '\0')
    r->len_kind = ISO_LEN_FIXED;
  else if (sscanf(text, "%7[a-z]..%d %7s%n", type, &r->max_len, kind, &n) == 3 && text[n] == '\0')
    r->len_kind = strcmp(kind, "LLVAR") == 0 ? ISO_LEN_LLVAR : strcmp(kind, "LLLVAR") == 0 ? ISO_LEN_LLLVAR : -1;
  else
    return false;
  r->type = strcmp(type, "n") == 0     ? ISO_TYPE_N
            : strcmp(type, "an") == 0  ? ISO_TYPE_AN
            : strcmp(type, "ans") == 0 ? ISO_TYPE_ANS
                                       : -1;
  return (int)r->type >= 0 && (int)r->len_kind >= 0;
}

/* The rows of the table under "## Fields"; returns how many. */
static int read_doc_table(struct doc_row *rows, int cap)
{
  FILE *f = open_source("docs/iso8583.md");
  char line[1024];
  bool in_section = false;
  int n = 0;

  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#') /* the table ends at the next heading of any level */
      in_section = strcmp(line, "## Fields") == 0;
    if (!in_section || line[0] != '|' || strncmp(line, "| no.", 5) == 0 || strncmp(line, "|---", 4) == 0)
      continue;
    char *bar[5] = { line };
    for (int i = 1; i < 5; i++) {
      bar[i] = bar[i - 1] ? strchr(bar[i - 1] + 1, '|') : NULL;
    }
    assert_non_null(bar[3]);
    assert_true(n < cap);
    struct doc_row *r = &rows[n++];
    char cell[80], format[40];
    trimmed(bar[0] + 1, bar[1], cell, sizeof cell);
    if (sscanf(cell, "%d-%d", &r->first, &r->last) != 2)
      r->last = r->first = atoi(cell);
    trimmed(bar[1] + 1, bar[2], r->name, sizeof r->name);
    trimmed(bar[2] + 1, bar[3], format, sizeof format);
    if (!parse_format(format, r))
      fail_msg("docs/iso8583.md, field %s: format '%s' is not of the form 'n 6' or 'ans..999 LLLVAR'", cell, format);
  }
  fclose(f);
  return n;
}

static void the_doc_table_says_what_fields_c_declares(void **state)
{
  struct doc_row rows[64];
  bool documented[ISO8583_MAX_FIELD + 1] = { false };
  int n = read_doc_table(rows, 64), fields = 0;
  (void)state;

  assert_true(n >= 15); /* the table was found and read */
  for (int i = 0; i < n; i++) {
    for (int f = rows[i].first; f <= rows[i].last; f++) {
      const struct iso_field_def *def = iso_field_def(f);
      if (!def)
        fail_msg("docs/iso8583.md documents field %d, which fields.c does not declare", f);
      if (def->type != rows[i].type || def->len_kind != rows[i].len_kind || def->max_len != rows[i].max_len)
        fail_msg("field %d: docs/iso8583.md's format differs from fields.c's", f);
      if (strcmp(def->name, rows[i].name) != 0)
        fail_msg("field %d: docs/iso8583.md names it '%s', fields.c '%s'", f, rows[i].name, def->name);
      documented[f] = true;
      fields++;
    }
  }
  for (int f = 2; f <= ISO8583_MAX_FIELD; f++)
    if (iso_field_def(f) && !documented[f])
      fail_msg("fields.c declares field %d, which docs/iso8583.md's table lacks", f);
  assert_true(fields >= 18);
}

/* A row tagged /\*NNN*\/ declares field NNN, as its index says. */
static void each_row_of_fields_c_is_tagged_with_its_number(void **state)
{
  FILE *f = open_source("lib/iso8583/fields.c");
  char line[512];
  int rows = 0;
  (void)state;

  while (fgets(line, sizeof line, f)) {
    int tag, index;
    if (sscanf(line, "/*%d*/ [%d]", &tag, &index) != 2)
      continue;
    if (tag != index)
      fail_msg("fields.c: a row tagged %03d declares field %d", tag, index);
    if (!iso_field_def(index))
      fail_msg("fields.c: the row tagged %03d is not in the table", tag);
    rows++;
  }
  fclose(f);
  int declared = 0;
  for (int n = 2; n <= ISO8583_MAX_FIELD; n++)
    declared += iso_field_def(n) != NULL;
  assert_int_equal(rows, declared); /* every declared field has its tagged row */
}

/* The credit server (credit.h) and the gateway's issuer link
 * (issuer_link.h) copy fields into fixed buffers: each holds its field at
 * fields.c's length, else a good message would be refused or cut. */
static void the_buffers_fields_are_copied_into_hold_them(void **state)
{
  struct credit_request rq;
  struct issuer_auth auth;
  struct issuer_answer answer;
  (void)state;
#define HOLDS(buf, field) assert_true(sizeof(buf) > (size_t)iso_field_def(field)->max_len)
  HOLDS(rq.pan, ISO_F_PAN);
  HOLDS(rq.expiry, ISO_F_EXPIRY);
  HOLDS(rq.currency, ISO_F_CURRENCY);
  HOLDS(rq.stan, ISO_F_STAN);
  HOLDS(rq.transmission_time, ISO_F_TRANSMISSION_TIME);
  HOLDS(rq.terminal_id, ISO_F_TERMINAL_ID);
  HOLDS(rq.merchant_code, ISO_F_MERCHANT_ID);
  HOLDS(auth.terminal_field, ISO_F_TERMINAL_ID);
  HOLDS(auth.transmission_time, ISO_F_TRANSMISSION_TIME);
  HOLDS(answer.response_code, ISO_F_RESPONSE_CODE);
  HOLDS(answer.approval_code, ISO_F_APPROVAL_CODE);
#undef HOLDS
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_doc_table_says_what_fields_c_declares),
    cmocka_unit_test(each_row_of_fields_c_is_tagged_with_its_number),
    cmocka_unit_test(the_buffers_fields_are_copied_into_hold_them),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
