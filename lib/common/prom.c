/* prom.c — see prom.h.  Only the writers of counters run on a request's
 * path, and they are single atomic adds; the rendering runs at a scrape. */
#include "common/prom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const double prom_bounds[PROM_BOUNDS] = {
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0
};

void prom_hist_observe(struct prom_hist *h, double seconds)
{
  int i = 0;

  if (!h)
    return;
  if (seconds < 0)
    seconds = 0;
  while (i < PROM_BOUNDS && seconds > prom_bounds[i])
    i++;
  atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&h->sum_us, (uint64_t)(seconds * 1e6 + 0.5), memory_order_relaxed);
}

double prom_seconds_since(const struct timespec *since)
{
  struct timespec now;

  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

void prom_printf(struct prom_text *t, const char *fmt, ...)
{
  va_list ap;

  if (t->failed)
    return;
  for (;;) {
    size_t room = t->cap - t->len;
    va_start(ap, fmt);
    int n = t->text ? vsnprintf(t->text + t->len, room, fmt, ap) : -2;
    va_end(ap);
    if (n >= 0 && (size_t)n < room) {
      t->len += (size_t)n;
      return;
    }
    if (n == -1) {
      t->failed = true;
      return;
    }
    size_t cap = t->cap ? t->cap * 2 : 16384;
    while (n > 0 && cap - t->len <= (size_t)n)
      cap *= 2;
    char *grown = realloc(t->text, cap);
    if (!grown) {
      prom_text_free(t);
      t->failed = true;
      return;
    }
    t->text = grown;
    t->cap = cap;
  }
}

void prom_header(struct prom_text *t, const char *name, const char *type, const char *help)
{
  prom_printf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

bool prom_label(char *dst, size_t cap, const char *key, const char *value)
{
  size_t start = strnlen(dst, cap), n = start;

  if (start + 1 >= cap)
    return false; /* full already (or no NUL within cap): left as it is */
  int w = snprintf(dst + n, cap - n, "%s%s=\"", start ? "," : "", key);

  if (w < 0 || (size_t)w >= cap - n)
    goto too_long;
  n += (size_t)w;
  for (const char *p = value ? value : ""; *p; p++) {
    const char *esc = *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" : *p == '\n' ? "\\n" : NULL;
    size_t need = esc ? 2 : 1;
    if (n + need + 2 > cap) /* room for the closing quote and the NUL */
      goto too_long;
    if (esc)
      memcpy(dst + n, esc, 2);
    else
      dst[n] = *p;
    n += need;
  }
  dst[n++] = '"';
  dst[n] = '\0';
  return true;
too_long:
  dst[start] = '\0';
  return false;
}

void prom_sample(struct prom_text *t, const char *name, const char *labels, uint64_t value)
{
  if (labels && *labels)
    prom_printf(t, "%s{%s} %llu\n", name, labels, (unsigned long long)value);
  else
    prom_printf(t, "%s %llu\n", name, (unsigned long long)value);
}

void prom_sample_double(struct prom_text *t, const char *name, const char *labels, double value)
{
  if (labels && *labels)
    prom_printf(t, "%s{%s} %.6f\n", name, labels, value);
  else
    prom_printf(t, "%s %.6f\n", name, value);
}

void prom_histogram(struct prom_text *t, const char *name, const char *labels, const struct prom_hist *h)
{
  const char *sep = labels && *labels ? "," : "";
  uint64_t cumulative = 0;

  /* _count is the sum of the buckets as read, so it equals le="+Inf" even
   * while other processes count (the sum may be a request ahead or behind) */
  for (int i = 0; i <= PROM_BOUNDS; i++) {
    cumulative += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
    if (i < PROM_BOUNDS)
      prom_printf(t, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels ? labels : "", sep, prom_bounds[i],
                  (unsigned long long)cumulative);
    else
      prom_printf(t, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels ? labels : "", sep,
                  (unsigned long long)cumulative);
  }
  double sum = (double)atomic_load_explicit(&h->sum_us, memory_order_relaxed) / 1e6;
  if (labels && *labels) {
    prom_printf(t, "%s_sum{%s} %.6f\n", name, labels, sum);
    prom_printf(t, "%s_count{%s} %llu\n", name, labels, (unsigned long long)cumulative);
  } else {
    prom_printf(t, "%s_sum %.6f\n", name, sum);
    prom_printf(t, "%s_count %llu\n", name, (unsigned long long)cumulative);
  }
}

void prom_text_free(struct prom_text *t)
{
  free(t->text);
  t->text = NULL;
  t->len = t->cap = 0;
}
