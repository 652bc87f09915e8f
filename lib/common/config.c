/* config.c — environment-variable configuration (see config.h). */
#include "common/config.h"
#include "common/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *config_str(const char *name, const char *fallback)
{
  const char *v = getenv(name);
  return (v && *v) ? v : fallback;
}

long config_long(const char *name, long fallback, long min, long max)
{
  const char *v = getenv(name);
  char *end;

  if (!v || !*v)
    return fallback;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || *end || n < min || n > max) {
    log_msg(LOG_WARN, "config %s=%s is not an integer in [%ld, %ld]; using %ld", name, v, min, max, fallback);
    return fallback;
  }
  return n;
}

bool config_bool(const char *name, bool fallback)
{
  const char *v = getenv(name);
  if (!v || !*v)
    return fallback;
  return strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
}
