/* qr_svg.c — see qr_svg.h.  libqrencode chooses the version and masks the
 * data; we only draw its modules: one path of horizontal runs of dark
 * modules ("M x y h n v1 h -n z" each) over a white square, in a viewBox
 * counted in modules, the quiet zone included. */
#include "common/qr_svg.h"

#include <errno.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUIET 4      /* modules of light margin on each side (ISO/IEC 18004) */
#define PX_PER_MOD 8 /* the size an <img> shows without CSS */

struct svg {
  char *buf;
  size_t len, cap;
  bool failed;
};

static void add(struct svg *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct svg *s, const char *fmt, ...)
{
  va_list ap;

  if (s->failed)
    return;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      s->failed = true;
      return;
    }
    if ((size_t)n < s->cap - s->len) {
      s->len += (size_t)n;
      return;
    }
    size_t cap = 2 * s->cap + (size_t)n;
    char *b = realloc(s->buf, cap);
    if (!b) {
      s->failed = true;
      return;
    }
    s->buf = b;
    s->cap = cap;
  }
}

static bool dark(const QRcode *qr, int x, int y)
{
  return qr->data[y * qr->width + x] & 1;
}

/* The runs of dark modules of every row, as one path's data. */
static void add_runs(struct svg *s, const QRcode *qr)
{
  for (int y = 0; y < qr->width; y++)
    for (int x = 0; x < qr->width;) {
      if (!dark(qr, x, y)) {
        x++;
        continue;
      }
      int start = x;
      while (x < qr->width && dark(qr, x, y))
        x++;
      add(s, "M%d %dh%dv1h-%dz", start + QUIET, y + QUIET, x - start, x - start);
    }
}

char *qr_svg(const char *text, char *err, size_t errlen)
{
  struct svg s = { .cap = 4096 };

  if (!text || !*text) {
    snprintf(err, errlen, "no text to encode");
    return NULL;
  }
  errno = 0;
  QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) {
    snprintf(err, errlen,
             errno == ERANGE ? "text too long for a QR code (%zu bytes)" : "QR encoding failed (%zu bytes)",
             strlen(text));
    return NULL;
  }
  int size = qr->width + 2 * QUIET;
  if (!(s.buf = malloc(s.cap))) {
    QRcode_free(qr);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  add(&s,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
      " shape-rendering=\"crispEdges\">\n"
      "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
      "<path fill=\"#000\" d=\"",
      size * PX_PER_MOD, size * PX_PER_MOD, size, size, size, size);
  add_runs(&s, qr);
  add(&s, "\"/>\n</svg>\n");
  QRcode_free(qr);
  if (s.failed) {
    free(s.buf);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  return s.buf;
}
