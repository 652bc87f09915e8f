/* route.h — matching a request path against a route's pattern, for the
 * route tables of the web page programs (cgi/shop/router.c,
 * cgi/history/router.c). */
#ifndef PAYGW_WEB_ROUTE_H
#define PAYGW_WEB_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

/* True when path matches pattern.  A pattern holds at most one slot, a
 * {NAME} segment: it matches one non-empty path segment (no '/') of less
 * than slot_size bytes, which is copied into slot for the router to check
 * (an order code, a transaction number).  slot may be NULL when the
 * pattern has no slot. */
bool web_route_match(const char *pattern, const char *path, char *slot, size_t slot_size);

/* The method a route table lists for method: HEAD is served as GET (the
 * answer writer leaves the body out). */
const char *web_route_method(const char *method);

#endif
