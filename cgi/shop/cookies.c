/* cookies.c — the shop's session cookie (lib/web/cookie.c does the syntax). */
#include "shop/cookies.h"

int cookie_token_wellformed(const char *text)
{
  return cookie_hex_wellformed(text, SESSION_TOKEN_HEX);
}

void cookie_session_line(const char *token, char *out, size_t outlen)
{
  cookie_line(SESSION_COOKIE, token, "Lax", -1, out, outlen);
}
