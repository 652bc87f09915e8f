/* signin_rules.c — the pure rules of signing in (signin_rules.h). */
#include "history/signin_rules.h"
#include "web/token.h"

#include <stdio.h>
#include <string.h>

bool signin_user_id_ok(const char *text)
{
  size_t n = text ? strlen(text) : 0;

  return n >= 1 && n <= 32 && strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

bool signin_password_ok(const char *text)
{
  size_t n = text ? strlen(text) : 0;

  if (n < 1 || n > SIGNIN_PASSWORD_MAX)
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
      return false;
  return true;
}

void presession_csrf_of(const char *cookie, char out[PRESESSION_TOKEN_HEX + 1])
{
  char labelled[128], hash[65];

  snprintf(labelled, sizeof labelled, "paygw history sign-in form:%s", cookie);
  token_sha256_hex(labelled, hash);
  memcpy(out, hash, PRESESSION_TOKEN_HEX);
  out[PRESESSION_TOKEN_HEX] = '\0';
}

const char *signin_redirect_for(enum session_seen seen)
{
  return seen == SESSION_ENDED ? "/history/sign-in?ended=expired" : "/history/sign-in";
}
