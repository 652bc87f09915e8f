/* form.c — parsing form bodies (lib/web: shop.fcgi and history.fcgi). */
#include "web/form.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

int form_unescape(const char *in, size_t len, char *out)
{
  size_t o = 0;

  for (size_t i = 0; i < len; i++) {
    char c = in[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= len)
        return -1;
      int hi = hexval(in[i + 1]);
      int lo = hexval(in[i + 2]);
      if (hi < 0 || lo < 0)
        return -1;
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0')
      return -1;
    out[o++] = c;
  }
  out[o] = '\0';
  return 0;
}

int form_parse(struct form *f, const char *body, size_t len)
{
  memset(f, 0, sizeof *f);
  if (memchr(body, '\0', len))
    return -1;
  f->buf = malloc(len * 2 + 2);
  if (!f->buf)
    return -1;
  char *out = f->buf;
  size_t i = 0;

  while (i < len) {
    size_t end = i;
    while (end < len && body[end] != '&')
      end++;
    if (end > i) {
      const char *eq = memchr(body + i, '=', end - i);
      size_t name_len = eq ? (size_t)(eq - (body + i)) : end - i;
      if (f->n == FORM_MAX_FIELDS)
        goto bad;
      f->names[f->n] = out;
      if (form_unescape(body + i, name_len, out) != 0)
        goto bad;
      out += strlen(out) + 1;
      f->values[f->n] = out;
      if (form_unescape(eq ? eq + 1 : body + end, eq ? (size_t)(body + end - eq - 1) : 0, out) != 0)
        goto bad;
      out += strlen(out) + 1;
      f->n++;
    }
    i = end + 1;
  }
  return 0;
bad:
  form_free(f);
  return -1;
}

const char *form_get(const struct form *f, const char *name)
{
  for (int i = 0; i < f->n; i++)
    if (strcmp(f->names[i], name) == 0)
      return f->values[i];
  return NULL;
}

void form_free(struct form *f)
{
  free(f->buf);
  memset(f, 0, sizeof *f);
}
