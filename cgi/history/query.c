/* query.c — the list's and the CSV's query: dates, status, keyset cursor
 * (query.h). */
#include "history/query.h"
#include "common/b64url.h"
#include "web/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const history_statuses[] = { "awaiting_device", "awaiting_confirmation",
                                         "awaiting_method", "authorizing",
                                         "completed",       "declined",
                                         "failed",          "canceled",
                                         "expired",         NULL };

void history_cursor_encode(const struct history_cursor *c, char out[HISTORY_CURSOR_MAX])
{
  char plain[48];
  int n = snprintf(plain, sizeof plain, "%lld.%lld", (long long)c->us, (long long)c->id);
  b64url_encode((const unsigned char *)plain, (size_t)n, out);
}

/* A decimal of 1 to 18 digits (so it fits an int64_t), no sign. */
static int read_number(const char *p, size_t len, int64_t *v)
{
  if (len == 0 || len > 18)
    return -1;
  *v = 0;
  for (size_t i = 0; i < len; i++) {
    if (p[i] < '0' || p[i] > '9')
      return -1;
    *v = *v * 10 + (p[i] - '0');
  }
  return 0;
}

int history_cursor_decode(const char *text, struct history_cursor *c)
{
  unsigned char plain[40];

  if (strlen(text) >= HISTORY_CURSOR_MAX)
    return -1;
  long n = b64url_decode(text, plain, sizeof plain - 1);
  if (n <= 0)
    return -1;
  plain[n] = '\0';
  const char *dot = memchr(plain, '.', (size_t)n);
  if (!dot || memchr(plain, '\0', (size_t)n))
    return -1;
  size_t head = (size_t)(dot - (const char *)plain);
  if (read_number((const char *)plain, head, &c->us) != 0 || read_number(dot + 1, (size_t)n - head - 1, &c->id) != 0
      || c->id <= 0)
    return -1;
  /* no zero-padded numbers: one row, one cursor text */
  char again[HISTORY_CURSOR_MAX];
  history_cursor_encode(c, again);
  return strcmp(again, text) == 0 ? 0 : -1;
}

static bool leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool history_date_valid(const char *t)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (strlen(t) != 10 || t[4] != '-' || t[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
      return false;
  int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
  if (y < 1000 || m < 1 || m > 12 || d < 1)
    return false;
  return d <= days[m - 1] + (m == 2 && leap(y));
}

int64_t history_day_start_us(const char *date, int plus_days)
{
  /* days from civil (H. Hinnant's algorithm): March-based years, 400-year eras */
  int64_t y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468 + plus_days;
  return days * 86400 * 1000000;
}

static bool status_known(const char *s)
{
  for (int i = 0; history_statuses[i]; i++)
    if (strcmp(history_statuses[i], s) == 0)
      return true;
  return false;
}

/* The value of name, refusing a second one: 1 found, 0 absent, -1 twice. */
static int one_value(const struct form *f, const char *name, const char **value)
{
  int seen = 0;
  for (int i = 0; i < f->n; i++)
    if (strcmp(f->names[i], name) == 0) {
      *value = f->values[i];
      seen++;
    }
  return seen > 1 ? -1 : seen;
}

static int check_fields(const struct form *f, struct history_query *q, char *err, size_t errlen)
{
  static const char *const names[] = { "from", "to", "status", "after", "before" };
  const char *v[5] = { NULL };

  for (int i = 0; i < 5; i++)
    if (one_value(f, names[i], &v[i]) < 0) {
      snprintf(err, errlen, "%s is given more than once", names[i]);
      return -1;
    }
  for (int i = 0; i < 2; i++) {
    if (v[i] && *v[i] && !history_date_valid(v[i])) {
      snprintf(err, errlen, "%s must be a date written YYYY-MM-DD, got '%.12s'", names[i], v[i]);
      return -1;
    }
    snprintf(i == 0 ? q->from : q->to, sizeof q->from, "%s", v[i] ? v[i] : "");
  }
  if (*q->from && *q->to && strcmp(q->from, q->to) > 0) {
    snprintf(err, errlen, "from (%s) is after to (%s)", q->from, q->to);
    return -1;
  }
  if (v[2] && *v[2] && !status_known(v[2])) {
    snprintf(err, errlen, "status must be empty or one of the gateway's statuses, got '%.24s'", v[2]);
    return -1;
  }
  snprintf(q->status, sizeof q->status, "%s", v[2] ? v[2] : "");
  if (v[3] && *v[3] && v[4] && *v[4]) {
    snprintf(err, errlen, "after and before cannot both be given");
    return -1;
  }
  for (int i = 3; i < 5; i++)
    if (v[i] && *v[i]) {
      if (history_cursor_decode(v[i], &q->cursor) != 0) {
        snprintf(err, errlen, "%s is not a page link of this list", names[i]);
        return -1;
      }
      q->direction = i == 3 ? HISTORY_OLDER : HISTORY_NEWER;
    }
  return 0;
}

int history_query_parse(const char *raw, struct history_query *q, char *err, size_t errlen)
{
  struct form f;

  memset(q, 0, sizeof *q);
  q->direction = HISTORY_FIRST;
  if (form_parse(&f, raw ? raw : "", raw ? strlen(raw) : 0) != 0) {
    form_free(&f);
    snprintf(err, errlen, "the query string is malformed");
    return -1;
  }
  int rc = check_fields(&f, q, err, errlen);
  form_free(&f);
  if (rc != 0)
    memset(q, 0, sizeof *q);
  return rc;
}

void history_query_link(const struct history_query *q, enum history_direction dir, const struct history_cursor *c,
                        char *out, size_t cap)
{
  char cursor[HISTORY_CURSOR_MAX];
  size_t n = 0;

  out[0] = '\0';
#define APPEND(...)                                                                                                    \
  do {                                                                                                                 \
    int w = snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__);                                                     \
    if (w > 0)                                                                                                         \
      n += (size_t)w;                                                                                                  \
  } while (0)
  if (*q->from)
    APPEND("%sfrom=%s", n ? "&" : "", q->from);
  if (*q->to)
    APPEND("%sto=%s", n ? "&" : "", q->to);
  if (*q->status)
    APPEND("%sstatus=%s", n ? "&" : "", q->status);
  if (c && dir != HISTORY_FIRST) {
    history_cursor_encode(c, cursor);
    APPEND("%s%s=%s", n ? "&" : "", dir == HISTORY_OLDER ? "after" : "before", cursor);
  }
#undef APPEND
  if (n >= cap)
    out[0] = '\0';
}
