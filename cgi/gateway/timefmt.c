/* timefmt.c — see timefmt.h. */
#include "gateway/timefmt.h"

void rfc3339(time_t t, char out[RFC3339_LEN])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
