/* cookies.h — the shop's session cookie (__Host- prefix: Path=/, Secure, no
 * Domain), read and written with lib/web's cookie functions. */
#ifndef SHOP_COOKIES_H
#define SHOP_COOKIES_H

#include "web/cookie.h"

#include <stddef.h>

#define SESSION_COOKIE "__Host-shop_session"
#define SESSION_TOKEN_HEX 32 /* 128 random bits */

/* True when text is exactly SESSION_TOKEN_HEX lower-case hex digits. */
int cookie_token_wellformed(const char *text);

/* "Set-Cookie: __Host-shop_session=<token>; Path=/; Secure; HttpOnly;
 * SameSite=Lax" into out. */
void cookie_session_line(const char *token, char *out, size_t outlen);

#endif
