/* cookies.h — reading the shop's session cookie from a Cookie header and
 * writing its Set-Cookie line (__Host- prefix: Path=/, Secure, no Domain). */
#ifndef SHOP_COOKIES_H
#define SHOP_COOKIES_H

#include <stddef.h>

#define SESSION_COOKIE "__Host-shop_session"
#define SESSION_TOKEN_HEX 32 /* 128 random bits */

/* The value of cookie name in a Cookie header ("a=1; b=2") into out: 0, or
 * -1 when it is absent, empty or longer than outlen - 1.  The first of
 * several cookies of that name counts. */
int cookie_get(const char *header, const char *name, char *out, size_t outlen);

/* True when text is exactly SESSION_TOKEN_HEX lower-case hex digits. */
int cookie_token_wellformed(const char *text);

/* "Set-Cookie: __Host-shop_session=<token>; Path=/; Secure; HttpOnly;
 * SameSite=Lax" into out. */
void cookie_session_line(const char *token, char *out, size_t outlen);

#endif
