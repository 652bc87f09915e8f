/* clientutil.h — small helpers the handset and the POS share: money shown
 * in a currency's own units (lib/common/money_text's formatter),
 * RFC 3339 times, random keys, whole-file reads and atomic rewrites. */
#ifndef PAYGW_CLIENTUTIL_H
#define PAYGW_CLIENTUTIL_H

#include "common/money_text.h" /* currency_exponent */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* money_text_display (common/money_text.h) for a printf argument: 3456 JPY
 * → "3,456", 123456 USD → "1,234.56".  Returns buf, "" for a currency the
 * gateway does not take (check with currency_exponent first) or a buf too
 * small. */
const char *money_format(int64_t minor, const char *currency, char *buf, size_t len);

/* t as "2026-11-25T09:00:00Z" into buf (>= 21 bytes). */
void time_rfc3339(time_t t, char *buf, size_t len);

/* Parses "YYYY-MM-DDTHH:MM:SS[.frac]Z"; returns 0 or -1. */
int time_parse_rfc3339(const char *s, time_t *out);

/* Random base64url text of `bytes` random bytes (OpenSSL RAND_bytes).
 * Returns 0 or -1. */
int random_token(size_t bytes, char *out, size_t outlen);

/* Reads a whole file (at most max bytes) into a malloc'd NUL-terminated
 * buffer.  Returns NULL with errno set on failure (EFBIG when too large). */
char *read_file_all(const char *path, size_t max, size_t *len);

/* Replaces path with text atomically: writes "<path>.tmp.<pid>" with mode
 * 0600, fsyncs, renames over path.  Returns 0 or -1 (errno set). */
int write_file_atomic(const char *path, const char *text, size_t len);

/* Reads "KEY=value" (value optionally in single or double quotes) from a
 * shell-style env file such as var/stack.env.  Returns a malloc'd value or
 * NULL when the file or key is absent. */
char *env_file_get(const char *path, const char *key);

/* The content of one line of a text file the clients read (a config or a
 * sale file): the line end removed and leading blanks skipped; NULL for a
 * blank line or a # comment. */
char *text_line_content(char *line);

#endif
