/* route.c — path patterns with one {NAME} slot (route.h). */
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
