/* route.h — finding a request's route in a program's table of routes
 * (cgi/shop/router.c, cgi/history/router.c).  Each program's struct route
 * starts with a struct web_route (method and pattern), then holds what is
 * its own (session step, handlers); its table ends with a row whose method
 * is NULL. */
#ifndef PAYGW_WEB_ROUTE_H
#define PAYGW_WEB_ROUTE_H

#include "web/request.h"

#include <stdbool.h>
#include <stddef.h>

struct web_route {
  const char *method, *pattern;
};

/* Takes the {NAME} segment of a matched path into the program's request
 * (an order code, a transaction number); false when it is not one, which
 * makes the path unknown (404). */
typedef bool web_slot_taker(struct web_request *w, const char *segment);

/* The first row of table (rows of row_size bytes: sizeof table[0]) whose
 * pattern matches w's path and whose method is w's (HEAD is served as
 * GET), or NULL with *refusal 405 (the path is known, not the method) or
 * 404.  Use it through WEB_ROUTE_FIND. */
const struct web_route *web_route_find(const struct web_route *table, size_t row_size, struct web_request *w,
                                       web_slot_taker *take_slot, int *refusal);
#define WEB_ROUTE_FIND(table, w, take_slot, refusal)                                                                   \
  web_route_find(&(table)[0].at, sizeof(table)[0], (w), (take_slot), (refusal))

/* True when path matches pattern.  A pattern holds at most one slot, a
 * {NAME} segment: it matches one non-empty path segment (no '/') of less
 * than slot_size bytes, which is copied into slot.  slot may be NULL when
 * the pattern has no slot. */
bool web_route_match(const char *pattern, const char *path, char *slot, size_t slot_size);

/* The method a route table lists for method: HEAD is served as GET (the
 * answer writer leaves the body out). */
const char *web_route_method(const char *method);

#endif
