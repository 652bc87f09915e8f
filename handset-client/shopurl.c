/* shopurl.c — the pay URL or order code `handset shop` is given, checked
 * before anything is sent (see shopurl.h).  Strict on purpose: the handset
 * sends the user ID to whatever this names, so only an https URL of the
 * shape the shop prints is taken, and the characters in it are few. */
#include "handset-client/shopurl.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ARG_MAX_LEN 512

/* The shop's alphabet: no 0/1/I/L/O, so a code read aloud or off a screen
 * is not mistaken. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

int shop_code_parse(const char *text, char out[SHOP_CODE_LEN + 1])
{
  size_t n = 0;

  for (size_t i = 0; text[i]; i++) {
    if (text[i] == '-' && i == 4 && n == 4)
      continue; /* the dash of ABCD-EFGH, there only */
    char c = (char)toupper((unsigned char)text[i]);
    if (n == SHOP_CODE_LEN || !c || !strchr(code_alphabet, c))
      return -1;
    out[n++] = c;
  }
  if (n != SHOP_CODE_LEN)
    return -1;
  out[n] = '\0';
  return 0;
}

const char *shop_code_display(const char *code, char *buf, size_t len)
{
  snprintf(buf, len, "%.4s-%.4s", code, strlen(code) > 4 ? code + 4 : "");
  return buf;
}

/* host[:port], host a name or IPv4 of [A-Za-z0-9.-], or an IPv6 literal in
 * brackets; the port 1-65535.  No user info: "https://shop@evil/" is refused. */
static bool authority_ok(const char *a, size_t len)
{
  size_t host_end = len;
  const char *colon = NULL;

  if (len == 0)
    return false;
  if (a[0] == '[') {
    const char *close = memchr(a, ']', len);
    if (!close || close == a + 1)
      return false;
    for (const char *p = a + 1; p < close; p++)
      if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
        return false;
    host_end = (size_t)(close - a) + 1;
    if (host_end < len && a[host_end] != ':')
      return false;
    colon = host_end < len ? a + host_end : NULL;
  } else {
    colon = memchr(a, ':', len);
    host_end = colon ? (size_t)(colon - a) : len;
    if (host_end == 0)
      return false;
    for (size_t i = 0; i < host_end; i++)
      if (!isalnum((unsigned char)a[i]) && a[i] != '.' && a[i] != '-')
        return false;
  }
  if (!colon)
    return true;
  size_t digits = len - (size_t)(colon - a) - 1;
  if (digits == 0 || digits > 5)
    return false;
  long port = 0;
  for (size_t i = 1; i <= digits; i++) {
    if (!isdigit((unsigned char)colon[i]))
      return false;
    port = port * 10 + (colon[i] - '0');
  }
  return port >= 1 && port <= 65535;
}

/* A path of "/"-separated segments of [A-Za-z0-9._~-]: no percent escapes,
 * no empty, "." or ".." segment. */
static bool path_ok(const char *p, size_t len)
{
  size_t seg = 0;

  if (len == 0 || p[0] != '/')
    return false;
  for (size_t i = 1; i <= len; i++) {
    if (i == len || p[i] == '/') {
      size_t n = i - seg - 1;
      if (n == 0 || (n == 1 && p[seg + 1] == '.') || (n == 2 && p[seg + 1] == '.' && p[seg + 2] == '.'))
        return false;
      seg = i;
    } else if (!isalnum((unsigned char)p[i]) && !strchr("._~-", p[i])) {
      return false;
    }
  }
  return true;
}

/* Checks the scheme; *rest is what follows "https://". */
static int scheme_ok(const char *url, const char **rest, char *err, size_t errlen)
{
  if (strncasecmp(url, "https://", 8) == 0) {
    *rest = url + 8;
    return 0;
  }
  if (strncasecmp(url, "http://", 7) == 0)
    snprintf(err, errlen, "refused %.80s: not https; the user ID is sent only over https, never in clear", url);
  else
    snprintf(err, errlen, "refused %.80s: a shop's URL starts with https://", url);
  return -1;
}

/* Splits "https://AUTHORITY/PATH" and checks both; refuses a query or a
 * fragment.  Returns 0 with the authority's and the path's bounds. */
static int url_split(const char *url, const char **auth, size_t *auth_len, const char **path, size_t *path_len,
                     char *err, size_t errlen)
{
  const char *rest;

  if (scheme_ok(url, &rest, err, errlen) != 0)
    return -1;
  if (strpbrk(rest, "?#")) {
    snprintf(err, errlen, "refused %.80s: a shop's URL has no query (?) or fragment (#)", url);
    return -1;
  }
  if (memchr(rest, '@', strcspn(rest, "/"))) {
    snprintf(err, errlen, "refused %.80s: a shop's URL names no user (@) before the host", url);
    return -1;
  }
  const char *slash = strchr(rest, '/');
  *auth = rest;
  *auth_len = slash ? (size_t)(slash - rest) : strlen(rest);
  *path = slash ? slash : "";
  *path_len = strlen(*path);
  if (!authority_ok(*auth, *auth_len)) {
    snprintf(err, errlen, "refused %.80s: its host or port is not valid", url);
    return -1;
  }
  return 0;
}

int shop_base_parse(const char *url, struct shop_target *t, char *err, size_t errlen)
{
  const char *auth, *path;
  size_t auth_len, path_len;

  if (!url || !*url) {
    snprintf(err, errlen, "no shop URL");
    return -1;
  }
  if (strlen(url) > SHOP_BASE_MAX) {
    snprintf(err, errlen, "refused the shop URL: longer than %d characters", SHOP_BASE_MAX);
    return -1;
  }
  if (url_split(url, &auth, &auth_len, &path, &path_len, err, errlen) != 0)
    return -1;
  if (path_len > 1 && path[path_len - 1] == '/')
    path_len--;
  if (!path_ok(path, path_len) || path_len < 5 || strncmp(path + path_len - 5, "/shop", 5) != 0) {
    snprintf(err, errlen, "refused the shop URL %.80s: its path must end in /shop/ (as in https://HOST:PORT/shop/)",
             url);
    return -1;
  }
  snprintf(t->base, sizeof t->base, "https://%.*s%.*s", (int)auth_len, auth, (int)path_len, path);
  return 0;
}

/* "https://HOST/.../shop/pay/CODE[/]" → base and code. */
static int pay_url_parse(const char *url, struct shop_target *t, char *err, size_t errlen)
{
  const char *auth, *path;
  size_t auth_len, path_len;
  char base[ARG_MAX_LEN + 1], code_text[ARG_MAX_LEN + 1];

  if (url_split(url, &auth, &auth_len, &path, &path_len, err, errlen) != 0)
    return -1;
  if (path_len > 1 && path[path_len - 1] == '/')
    path_len--;
  const char *last = path_len ? path + path_len : path;
  while (last > path && last[-1] != '/')
    last--;
  if (last - path < 5 || strncmp(last - 5, "/pay/", 5) != 0 || last == path + path_len) {
    snprintf(err, errlen, "refused %.80s: not a pay URL; its path must end in /shop/pay/CODE", url);
    return -1;
  }
  snprintf(code_text, sizeof code_text, "%.*s", (int)(path + path_len - last), last);
  if (shop_code_parse(code_text, t->code) != 0) {
    snprintf(err, errlen,
             "refused %.80s: '%.20s' is not an order code (8 characters of 2-9 and A-Z without I, L, O, "
             "as ABCD-EFGH)",
             url, code_text);
    return -1;
  }
  snprintf(base, sizeof base, "%.*s", (int)(last - 5 - url), url);
  if (shop_base_parse(base, t, err, errlen) != 0) {
    snprintf(err, errlen, "refused %.80s: not a pay URL; its path must end in /shop/pay/CODE", url);
    return -1;
  }
  return 0;
}

int shop_target_parse(const char *arg, const char *shop_url, struct shop_target *t, char *err, size_t errlen)
{
  char shown[16];

  memset(t, 0, sizeof *t);
  if (!arg || !*arg) {
    snprintf(err, errlen,
             "no order: give the pay URL from the shop's page (https://HOST/shop/pay/CODE) or the "
             "order code");
    return -1;
  }
  if (strlen(arg) > ARG_MAX_LEN) {
    snprintf(err, errlen, "refused the argument: longer than %d characters", ARG_MAX_LEN);
    return -1;
  }
  if (strstr(arg, "://"))
    return pay_url_parse(arg, t, err, errlen);
  if (shop_code_parse(arg, t->code) != 0) {
    snprintf(err, errlen,
             "'%.40s' is neither an order code (8 characters of 2-9 and A-Z without I, L, O, as ABCD-EFGH) nor a "
             "pay URL (https://HOST/shop/pay/CODE)",
             arg);
    return -1;
  }
  if (!shop_url || !*shop_url) {
    snprintf(err, errlen, "order %s: which shop? give --shop URL or set PAYGW_SHOP_URL (as https://HOST:PORT/shop/)",
             shop_code_display(t->code, shown, sizeof shown));
    return -1;
  }
  if (shop_base_parse(shop_url, t, err, errlen) != 0)
    return -1;
  return 0;
}

/* How many bytes the character at p takes; 0 when it is not a well-formed
 * start of one (a stray continuation byte, a sequence cut short). */
static size_t char_width(const unsigned char *p)
{
  size_t width = p[0] < 0x80                   ? 1
                 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2
                 : p[0] >= 0xE0 && p[0] < 0xF0 ? 3
                 : p[0] >= 0xF0 && p[0] < 0xF5 ? 4
                                               : 0;
  for (size_t i = 1; i < width; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  return width;
}

const char *shop_printable(const char *in, char *out, size_t len)
{
  size_t n = 0;

  if (len == 0)
    return out;
  for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p;) {
    size_t width = char_width(p);
    bool control = width == 0 || *p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] <= 0x9F);
    size_t put = control ? 1 : width;
    if (n + put >= len)
      break; /* a whole character or nothing */
    if (control)
      out[n] = '?';
    else
      memcpy(out + n, p, width);
    n += put;
    p += width ? width : 1;
  }
  out[n] = '\0';
  return out;
}
