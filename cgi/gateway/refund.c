/* refund.c — see refund.h: the parts of a refund that need no database
 * (refund_send.c sends and records). */
#include "gateway/refund.h"
#include "gateway/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool refund_status_is_final(const char *status)
{
  return strcmp(status, "completed") == 0 || strcmp(status, "declined") == 0 || strcmp(status, "failed") == 0;
}

int refund_cutoff_minutes(const char *text)
{
  int h, m;
  char end;

  if (!text || strlen(text) != 5 || sscanf(text, "%2d:%2d%c", &h, &m, &end) != 2 || text[2] != ':' || h < 0 || h > 23
      || m < 0 || m > 59)
    return -1;
  return h * 60 + m;
}

bool refund_zone_known(const char *tz)
{
  char path[256];
  struct stat st;

  if (!tz || !*tz || *tz == '/' || strstr(tz, "..") || strlen(tz) > 100)
    return false;
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* t in zone tz.  The process's TZ is set for the call and put back: the
 * gateway's processes are single-threaded, and nothing else reads local
 * time (every stored and answered time is UTC). */
static void local_time_in(time_t t, const char *tz, struct tm *out)
{
  const char *was = getenv("TZ");
  char *saved = was ? strdup(was) : NULL;

  setenv("TZ", tz, 1);
  tzset();
  localtime_r(&t, out);
  if (saved)
    setenv("TZ", saved, 1);
  else
    unsetenv("TZ");
  tzset();
  free(saved);
}

bool refund_void_window_open(time_t completed_at, time_t now, int cutoff_min, const char *tz)
{
  struct tm done, today;

  if (cutoff_min < 0 || now < completed_at || !refund_zone_known(tz))
    return false;
  local_time_in(completed_at, tz, &done);
  local_time_in(now, tz, &today);
  bool same_day = done.tm_year == today.tm_year && done.tm_yday == today.tm_yday;
  return same_day && today.tm_hour * 60 + today.tm_min < cutoff_min;
}

json_t *refund_object(const struct refund_row *r)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "id", r->id, "transaction", r->number, "kind", r->kind, "amount",
                        (json_int_t)r->amount, "currency", r->currency);
  bool completed = strcmp(r->status, "completed") == 0;

  json_object_set_new(o, "reason", r->has_reason ? json_string(r->reason) : json_null());
  json_object_set_new(o, "status", json_string(r->status));
  json_object_set_new(o, "response_code", *r->response_code ? json_string(r->response_code) : json_null());
  if (strcmp(r->status, "declined") == 0)
    json_object_set_new(o, "decline", json_pack("{s:s, s:s}", "code", r->response_code, "reason", r->outcome_reason));
  else if (strcmp(r->status, "failed") == 0)
    json_object_set_new(o, "failure", json_pack("{s:s}", "reason", r->outcome_reason));
  json_object_set_new(o, "created_at", json_string(r->created_at));
  json_object_set_new(o, "completed_at", completed && r->has_ended_at ? json_string(r->ended_at) : json_null());
  return o;
}

json_t *refund_message(const struct refund_row *r, int64_t refunded, const char *issued_at)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:s, s:s, s:s}", "kind", "refund", "refund", r->id,
                   "transaction", r->number, "user_id", r->user_id, "refund_kind", r->kind, "amount",
                   (json_int_t)r->amount, "currency", r->currency, "refunded", (json_int_t)refunded, "total",
                   (json_int_t)r->total, "merchant", r->merchant_code, "shop", r->shop_name, "issued_at", issued_at);
}
