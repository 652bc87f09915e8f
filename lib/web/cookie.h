/* cookie.h — reading a cookie from a Cookie header (RFC 6265's syntax as
 * browsers send it) and writing the Set-Cookie line of a __Host- cookie
 * (Path=/, Secure, no Domain): lib/web, for shop.fcgi and history.fcgi. */
#ifndef WEB_COOKIE_H
#define WEB_COOKIE_H

#include <stddef.h>

/* The value of cookie name in a Cookie header ("a=1; b=2") into out: 0, or
 * -1 when it is absent, empty or longer than outlen - 1.  The first of
 * several cookies of that name counts. */
int cookie_get(const char *header, const char *name, char *out, size_t outlen);

/* True when text is exactly n lower-case hex digits. */
int cookie_hex_wellformed(const char *text, size_t n);

/* "Set-Cookie: <name>=<value>; Path=/; Secure; HttpOnly; SameSite=<same_site>"
 * into out; max_age >= 0 adds "; Max-Age=<max_age>" (0 with an empty value
 * clears the cookie), -1 makes it a session cookie. */
void cookie_line(const char *name, const char *value, const char *same_site, long max_age, char *out, size_t outlen);

#endif
