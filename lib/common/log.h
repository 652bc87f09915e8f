/* log.h — structured logging: one JSON object per line on stderr, which the
 * stack redirects to var/log/.  Never pass a card number, password, key or
 * full credential to these functions. */
#ifndef PAYGW_LOG_H
#define PAYGW_LOG_H

#include <jansson.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Program name written in every line ("gateway", "credit-server", ...). */
void log_init(const char *program);

/* Writes {"time":..., "level":..., "program":..., <fields>} and takes
 * ownership of `fields` (may be NULL). */
void log_event(enum log_level level, json_t *fields);

/* Convenience: {"msg": "<formatted text>"}. */
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* RFC 3339 UTC time with milliseconds into buf (at least 32 bytes). */
void log_time_rfc3339(char *buf, size_t len);

#endif
