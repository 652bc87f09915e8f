/* utf8.c — see utf8.h. */
#include "common/utf8.h"

#include <stddef.h>

/* The length of the well-formed sequence at p, or 0.  Stops at a NUL:
 * a NUL is never a continuation byte. */
static size_t sequence_length(const unsigned char *p)
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
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

bool utf8_valid(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = sequence_length(p);
    if (n == 0)
      return false;
    p += n;
  }
  return true;
}

char *utf8_scrub(char *s)
{
  unsigned char *p = (unsigned char *)s;
  while (*p) {
    size_t n = sequence_length(p);
    if (n == 0)
      *p++ = '?';
    else
      p += n;
  }
  return s;
}
