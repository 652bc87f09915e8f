/* utf8.h — the one place that reads UTF-8: counting characters for length
 * rules (the gateway's field tables, paygw-admin, the POS client) and making
 * request text safe to put into JSON.  Jansson refuses a string that is not
 * well-formed UTF-8 (json_pack then returns NULL), and a path, header or
 * truncated detail can carry any bytes.
 *
 * Well-formed means RFC 3629: no overlong forms, no surrogates (U+D800 to
 * U+DFFF), nothing above U+10FFFF, no sequence cut short. */
#ifndef PAYGW_UTF8_H
#define PAYGW_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The number of characters (code points) in the NUL-terminated string s, or
 * -1 when s is not well-formed UTF-8. */
long utf8_count(const char *s);

/* The same for the len bytes at s, which need not end in a NUL and are
 * never read past; a NUL byte among them makes it -1 (a C string cannot
 * carry it). */
long utf8_count_n(const char *s, size_t len);

/* True when s is well-formed UTF-8. */
bool utf8_valid(const char *s);

/* Replaces, in place, every byte that is not part of a well-formed UTF-8
 * sequence with '?'; the length does not change.  Returns s. */
char *utf8_scrub(char *s);

#endif
