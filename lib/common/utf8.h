/* utf8.h — making request text safe to put into JSON.  Jansson refuses a
 * string that is not well-formed UTF-8 (json_pack then returns NULL), and a
 * path, header or truncated detail can carry any bytes. */
#ifndef PAYGW_UTF8_H
#define PAYGW_UTF8_H

#include <stdbool.h>

/* True when s is well-formed UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF). */
bool utf8_valid(const char *s);

/* Replaces, in place, every byte that is not part of a well-formed UTF-8
 * sequence with '?'; the length does not change.  Returns s. */
char *utf8_scrub(char *s);

#endif
