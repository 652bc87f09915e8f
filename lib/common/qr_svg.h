/* qr_svg.h — the QR code of a text as an SVG document (libqrencode
 * encodes; we only draw the modules).  Error correction level M, a
 * 4-module quiet zone, one <path> of the dark modules, viewBox in modules,
 * shape-rendering="crispEdges".  Nothing of the caller's text enters the
 * SVG except as encoded modules. */
#ifndef PAYGW_QR_SVG_H
#define PAYGW_QR_SVG_H

#include <stddef.h>

/* The SVG of text's QR code, malloc'd (caller frees), or NULL + err (NULL
 * or empty text, text too long for a QR code at level M, no memory). */
char *qr_svg(const char *text, char *err, size_t errlen);

#endif
