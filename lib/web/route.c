/* route.c — route tables and path patterns with one {NAME} slot
 * (route.h). */
#include "web/route.h"

#include <string.h>

bool web_route_match(const char *pattern, const char *path, char *slot, size_t slot_size)
{
  const char *open = strchr(pattern, '{');
  const char *close = open ? strchr(open, '}') : NULL;

  if (!close)
    return strcmp(pattern, path) == 0;
  size_t head = (size_t)(open - pattern);
  if (strncmp(pattern, path, head) != 0)
    return false;
  const char *seg = path + head;
  size_t seg_len = strcspn(seg, "/");
  if (seg_len == 0 || seg_len >= slot_size || strcmp(close + 1, seg + seg_len) != 0)
    return false;
  memcpy(slot, seg, seg_len);
  slot[seg_len] = '\0';
  return true;
}

const char *web_route_method(const char *method)
{
  return strcmp(method, "HEAD") == 0 ? "GET" : method;
}

const struct web_route *web_route_find(const struct web_route *table, size_t row_size, struct web_request *w,
                                       web_slot_taker *take_slot, int *refusal)
{
  const char *method = web_route_method(w->method);
  char segment[64]; /* longer than any slot a program takes */

  *refusal = 404;
  /* The rows are the program's struct route, each starting with a
   * struct web_route: step by the program's row size. */
  for (const char *row = (const char *)table;; row += row_size) {
    const struct web_route *r = (const struct web_route *)row;
    if (!r->method)
      return NULL;
    if (!web_route_match(r->pattern, w->path, segment, sizeof segment))
      continue;
    if (strchr(r->pattern, '{') && !take_slot(w, segment))
      continue;
    *refusal = 405;
    if (strcmp(r->method, method) == 0)
      return r;
  }
}
