/* log.c — JSON log lines on stderr (see log.h). */
#include "common/log.h"
#include "common/pan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *log_program = "paygw";
static const char *const level_names[] = { "debug", "info", "warn", "error" };

static enum log_level log_min_level = LOG_DEBUG;

void log_init(const char *program)
{
  log_program = program;
}

void log_set_level(enum log_level min)
{
  log_min_level = min;
}

void log_time_rfc3339(char *buf, size_t len)
{
  struct timespec ts;
  struct tm tm;

  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Masks card-number-like digit runs in every string of v (pan_scrub): a
 * log line never holds a card number, whatever a caller put in it. */
static void scrub_strings(json_t *v)
{
  const char *key;
  json_t *member;
  size_t i;

  if (json_is_string(v)) {
    const char *text = json_string_value(v);
    size_t len = json_string_length(v);
    if (len >= PAN_MIN_LEN && strpbrk(text, "0123456789")) {
      char *copy = strndup(text, len);
      if (copy && strcmp(pan_scrub(copy), text) != 0)
        json_string_setn(v, copy, len);
      free(copy);
    }
  } else if (json_is_object(v)) {
    json_object_foreach (v, key, member)
      scrub_strings(member);
  } else if (json_is_array(v)) {
    json_array_foreach (v, i, member)
      scrub_strings(member);
  }
}

void log_event(enum log_level level, json_t *fields)
{
  char when[40];

  if (level < log_min_level) {
    json_decref(fields);
    return;
  }
  json_t *line = json_object();

  log_time_rfc3339(when, sizeof when);
  json_object_set_new(line, "time", json_string(when));
  json_object_set_new(line, "level", json_string(level_names[level]));
  json_object_set_new(line, "program", json_string(log_program));
  if (fields)
    json_object_update(line, fields);
  scrub_strings(line);
  char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
  if (text) {
    /* one fputs per line so concurrent workers do not interleave */
    fprintf(stderr, "%s\n", text);
    free(text);
  }
  json_decref(line);
  json_decref(fields);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
  char text[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  log_event(level, json_pack("{s:s}", "msg", text));
}

static void log_at(enum log_level level, const char *kind, const char *file, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static void log_at(enum log_level level, const char *kind, const char *file, int line, const char *fmt, va_list ap)
{
  char text[1024], where[160];

  vsnprintf(text, sizeof text, fmt, ap);
  snprintf(where, sizeof where, "%s:%d", file, line);
  log_event(level, json_pack("{s:s, s:s, s:s}", "msg", text, "kind", kind, "at", where));
}

void log_bug(const char *file, int line, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  log_at(LOG_ERROR, "bug", file, line, fmt, ap);
  va_end(ap);
}

void log_client_fault(const char *file, int line, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  log_at(LOG_INFO, "client_fault", file, line, fmt, ap);
  va_end(ap);
}
