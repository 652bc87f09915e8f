/* utf8.c — see utf8.h.  One decoder of a single sequence, bounded by the
 * bytes available, under every function here. */
#include "common/utf8.h"

#include <string.h>

/* The length of the well-formed sequence at p (avail bytes readable, at
 * least 1), or 0.  A NUL is never a continuation byte, so a sequence cut
 * short by the end of a C string is refused there. */
static size_t sequence_length(const unsigned char *p, size_t avail)
{
  size_t n;
  unsigned long least, cp;

  if (p[0] < 0x80)
    return 1;
  if ((p[0] & 0xE0) == 0xC0)
    n = 2, least = 0x80, cp = p[0] & 0x1F;
  else if ((p[0] & 0xF0) == 0xE0)
    n = 3, least = 0x800, cp = p[0] & 0x0F;
  else if ((p[0] & 0xF8) == 0xF0)
    n = 4, least = 0x10000, cp = p[0] & 0x07;
  else
    return 0; /* a continuation byte, or 0xF8-0xFF */
  if (n > avail)
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0; /* overlong, beyond Unicode, or a surrogate */
  return n;
}

long utf8_count_n(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  long chars = 0;

  for (size_t i = 0; i < len; chars++) {
    size_t n = p[i] == '\0' ? 0 : sequence_length(p + i, len - i);
    if (n == 0)
      return -1;
    i += n;
  }
  return chars;
}

long utf8_count(const char *s)
{
  return utf8_count_n(s, strlen(s));
}

bool utf8_valid(const char *s)
{
  return utf8_count(s) >= 0;
}

char *utf8_scrub(char *s)
{
  unsigned char *p = (unsigned char *)s;
  size_t left = strlen(s);

  while (left > 0) {
    size_t n = sequence_length(p, left);
    if (n == 0)
      n = 1, *p = '?';
    p += n;
    left -= n;
  }
  return s;
}
