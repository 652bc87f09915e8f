/* log.c — JSON log lines on stderr (see log.h).  With PAYGW_LOG_FILE the
 * file is opened onto descriptor 2 itself, so whatever else a program or a
 * library writes to stderr lands there too, and a reopen is one dup2(). */
#include "common/log.h"
#include "common/pan.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_program = "paygw";
static const char *const level_names[] = { "debug", "info", "warn", "error" };

static enum log_level log_min_level = LOG_DEBUG;

static char *log_file;           /* PAYGW_LOG_FILE, or NULL: stderr as inherited */
static atomic_int reopen_wanted; /* set by SIGHUP / SIGUSR2, taken by the next line */
static bool reopen_failed_said;  /* one warning per failing path, not one per line */

static void on_reopen_signal(int sig)
{
  (void)sig;
  atomic_store(&reopen_wanted, 1); /* lock-free, so safe in a handler */
}

/* Opens the log file onto descriptor 2.  dup2() swaps the descriptor in one
 * step, so a thread writing meanwhile writes whole lines to one file or the
 * other.  On failure the old descriptor stays: a line in the renamed file
 * beats a lost one. */
static int open_onto_stderr(const char *path, char *err, size_t errlen)
{
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);

  if (fd < 0) {
    snprintf(err, errlen, "cannot open the log file %s: %s", path, strerror(errno));
    return -1;
  }
  fflush(stderr);
  int rc = fd == STDERR_FILENO ? 0 : dup2(fd, STDERR_FILENO);
  if (rc < 0)
    snprintf(err, errlen, "cannot put the log file %s on stderr: %s", path, strerror(errno));
  if (fd != STDERR_FILENO)
    close(fd);
  return rc < 0 ? -1 : 0;
}

/* SA_RESTART: a worker blocked in accept() or read() goes on as if nothing
 * happened (libfcgi fails a request whose read() returns EINTR); poll()
 * still returns EINTR, which every loop here treats as "look again".
 * SIGUSR2 too, because multiwatch forwards it to its children while a
 * SIGHUP to multiwatch itself means "shut down". */
static void install_reopen_handler(void)
{
  struct sigaction sa;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_reopen_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
}

void log_init(const char *program)
{
  char err[512];
  const char *path = getenv("PAYGW_LOG_FILE");

  log_program = program;
  install_reopen_handler();
  free(log_file);
  log_file = NULL;
  if (!path || !*path)
    return;
  log_file = strdup(path);
  if (log_file && open_onto_stderr(log_file, err, sizeof err) != 0)
    log_msg(LOG_WARN, "%s; logging to stderr", err);
}

void log_reopen(void)
{
  char err[512];

  if (!log_file)
    return;
  if (open_onto_stderr(log_file, err, sizeof err) == 0) {
    reopen_failed_said = false;
    return;
  }
  if (!reopen_failed_said) {
    reopen_failed_said = true;
    log_msg(LOG_WARN, "%s; still writing to the file it replaced", err);
  }
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
  if (atomic_exchange(&reopen_wanted, 0))
    log_reopen();
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
