/* duplicate.c — the key an authorization is kept under (STAN, terminal and
 * the full transmission time, rebuilt here from field 7, which has no
 * year), and the words the log gives a key match that is another request.
 * Whether a key match is the stored request again (card, amount, merchant,
 * currency) is judged by issuer.do_authorize (sql/0012).  Pure:
 * tests/unit/test_credit_duplicate.c walks the new year. */
#include "credit-server/credit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define HALF_YEAR_S (183L * 24 * 3600)

/* Two digits at p as a number, or -1. */
static int two_digits(const char *p)
{
  if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
    return -1;
  return (p[0] - '0') * 10 + (p[1] - '0');
}

/* The instant of MMDDhhmmss in `year`, or -1 when that date does not exist
 * in that year (timegm would roll 31 April over to 1 May: compare back). */
static long instant_in_year(int year, int mon, int day, int hour, int min, int sec)
{
  struct tm tm = {
    .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day, .tm_hour = hour, .tm_min = min, .tm_sec = sec
  };
  time_t t = timegm(&tm);
  struct tm back;

  if (t == (time_t)-1 || !gmtime_r(&t, &back))
    return -1;
  if (back.tm_year != year - 1900 || back.tm_mon != mon - 1 || back.tm_mday != day)
    return -1;
  return (long)t;
}

int credit_transmission_instant(const char *field7, long now, long *out)
{
  int f[5];
  time_t now_t = (time_t)now;
  struct tm today;

  if (!field7 || strlen(field7) != (size_t)iso_field_length(ISO_F_TRANSMISSION_TIME) || !gmtime_r(&now_t, &today))
    return -1;
  for (int i = 0; i < 5; i++)
    if ((f[i] = two_digits(field7 + 2 * i)) < 0)
      return -1;
  int mon = f[0], day = f[1], hour = f[2], min = f[3], sec = f[4];
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59)
    return -1;
  /* last year, this year, next year: the nearest that has the date */
  long best = -1, best_gap = 0;
  for (int dy = -1; dy <= 1; dy++) {
    long t = instant_in_year(today.tm_year + 1900 + dy, mon, day, hour, min, sec);
    long gap = t > now ? t - now : now - t;
    if (t >= 0 && (best < 0 || gap < best_gap)) {
      best = t;
      best_gap = gap;
    }
  }
  /* 29 February seen from a year with no leap year next to it: not a date
   * we could have been sent; nor is one more than half a year away */
  if (best < 0 || best_gap > HALF_YEAR_S)
    return -1;
  *out = best;
  return 0;
}

void credit_timestamp_text(long t, char out[CREDIT_TIMESTAMP_LEN])
{
  time_t tt = (time_t)t;
  struct tm tm;

  if (!gmtime_r(&tt, &tm) || strftime(out, CREDIT_TIMESTAMP_LEN, "%Y-%m-%d %H:%M:%S+00", &tm) == 0)
    out[0] = '\0';
}

void credit_differs_text(unsigned differs, char *out, size_t cap)
{
  static const struct {
    unsigned bit;
    const char *word;
  } words[] = {
    { CREDIT_DIFF_CARD, "card" },
    { CREDIT_DIFF_AMOUNT, "amount" },
    { CREDIT_DIFF_MERCHANT, "merchant" },
    { CREDIT_DIFF_CURRENCY, "currency" },
  };
  size_t used = 0;

  out[0] = '\0';
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    if (!(differs & words[i].bit))
      continue;
    int n = snprintf(out + used, cap - used, "%s%s", used ? " " : "", words[i].word);
    if (n < 0 || (size_t)n >= cap - used) {
      out[used] = '\0'; /* whole words only */
      return;
    }
    used += (size_t)n;
  }
}
