/* log.h — structured logging: one JSON object per line on stderr, which the
 * stack redirects to var/log/.  Never pass a card number, password, key or
 * full credential to these functions. */
#ifndef PAYGW_LOG_H
#define PAYGW_LOG_H

#include <jansson.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Program name written in every line ("gateway", "credit-server", ...).
 * If PAYGW_LOG_FILE names a file, it is opened for appending onto stderr
 * (descriptor 2); otherwise stderr stays as inherited (the journal under
 * systemd).  Installs a SIGHUP and SIGUSR2 handler that only asks for
 * log_reopen() before the next line, so after logrotate renamed the file
 * the next line lands in a new one; neither signal ever ends the program. */
void log_init(const char *program);

/* Opens PAYGW_LOG_FILE again onto stderr (nothing without one).  Called by
 * log_event after a SIGHUP/SIGUSR2; on failure the old file is kept and one
 * warning written to it. */
void log_reopen(void);

/* Lines below `min` are dropped from now on (all are written by default).
 * The fuzz harnesses keep only warnings and errors: a client fault per
 * refused input would drown their output. */
void log_set_level(enum log_level min);

/* Writes {"time":..., "level":..., "program":..., <fields>} and takes
 * ownership of `fields` (may be NULL). */
void log_event(enum log_level level, json_t *fields);

/* Convenience: {"msg": "<formatted text>"}. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A broken invariant — a bug in our code, never bad input: logged at error
 * level with the file and line it was found at.  LOG_BUG(fmt, ...) fills
 * those in. */
void log_bug(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define LOG_BUG(...) log_bug(__FILE__, __LINE__, __VA_ARGS__)

/* Bad input from a client — expected, not our fault: logged at info level
 * with the file and line that refused it. */
void log_client_fault(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* RFC 3339 UTC time with milliseconds into buf (at least 32 bytes). */
void log_time_rfc3339(char *buf, size_t len);

#endif
