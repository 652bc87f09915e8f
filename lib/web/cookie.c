/* cookie.c — the Cookie header and Set-Cookie lines (lib/web). */
#include "web/cookie.h"

#include <stdio.h>
#include <string.h>

int cookie_get(const char *header, const char *name, char *out, size_t outlen)
{
  size_t name_len = strlen(name);
  const char *p = header;

  if (!header || outlen == 0)
    return -1;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ';')
      p++;
    size_t seg = strcspn(p, ";");
    if (seg > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
      const char *v = p + name_len + 1;
      size_t vlen = seg - name_len - 1;
      while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
      if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
        v++;
        vlen -= 2;
      }
      if (vlen == 0 || vlen >= outlen)
        return -1;
      memcpy(out, v, vlen);
      out[vlen] = '\0';
      return 0;
    }
    p += seg;
  }
  return -1;
}

int cookie_hex_wellformed(const char *text, size_t n)
{
  if (strlen(text) != n)
    return 0;
  return strspn(text, "0123456789abcdef") == n;
}

void cookie_line(const char *name, const char *value, const char *same_site, long max_age, char *out, size_t outlen)
{
  if (max_age >= 0)
    snprintf(out, outlen, "Set-Cookie: %s=%s; Path=/; Secure; HttpOnly; SameSite=%s; Max-Age=%ld", name, value,
             same_site, max_age);
  else
    snprintf(out, outlen, "Set-Cookie: %s=%s; Path=/; Secure; HttpOnly; SameSite=%s", name, value, same_site);
}
