/* timefmt.h — RFC 3339 UTC text for times the gateway hands out, and the
 * same format from SQL so every answer looks alike. */
#ifndef PAYGW_TIMEFMT_H
#define PAYGW_TIMEFMT_H

#include <time.h>

#define RFC3339_LEN 21 /* "2026-11-25T09:00:00Z" + NUL */

void rfc3339(time_t t, char out[RFC3339_LEN]);

/* A SQL expression rendering a timestamptz column the same way. */
#define SQL_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

#endif
