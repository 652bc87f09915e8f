/* pan.c — Luhn check, masking and expiry rules for card numbers. */
#include "common/pan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool str_is_digits(const char *s)
{
  if (!s || !*s)
    return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

bool pan_is_valid(const char *pan)
{
  size_t len = pan ? strlen(pan) : 0;
  int sum = 0;

  if (len < PAN_MIN_LEN || len > PAN_MAX_LEN || !str_is_digits(pan))
    return false;
  for (size_t i = 0; i < len; i++) {
    int d = pan[len - 1 - i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9)
        d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

/* How many leading digits a card number of len digits may show: 6 while
 * that still hides PAN_MASK_MIN_HIDDEN or more (16 digits and up), else 0. */
static size_t mask_head(size_t len)
{
  return len >= 6 + PAN_MASK_MIN_HIDDEN + 4 ? 6 : 0;
}

/* True when s is PAN_MIN_LEN..PAN_MAX_LEN characters, each a digit or '*'. */
static bool mask_input_ok(const char *s, size_t len)
{
  if (len < PAN_MIN_LEN || len > PAN_MAX_LEN)
    return false;
  for (size_t i = 0; i < len; i++)
    if ((s[i] < '0' || s[i] > '9') && s[i] != '*')
      return false;
  return true;
}

void pan_mask(const char *pan, char *out, size_t outlen)
{
  size_t len = pan ? strlen(pan) : 0;

  if (outlen == 0)
    return;
  if (!mask_input_ok(pan, len) || len + 1 > outlen) {
    snprintf(out, outlen, "****"); /* not a card number: no digit shown */
    return;
  }
  size_t head = mask_head(len);
  for (size_t i = 0; i < len; i++)
    out[i] = (i < head || i >= len - 4) ? pan[i] : '*';
  out[len] = '\0';
}

bool pan_mask_conforms(const char *shown)
{
  char again[PAN_MAX_LEN + 1];

  if (!shown || !mask_input_ok(shown, strlen(shown)))
    return false;
  pan_mask(shown, again, sizeof again);
  return strcmp(again, shown) == 0;
}

bool expiry_is_wellformed(const char *yymm)
{
  if (!yymm || strlen(yymm) != 4 || !str_is_digits(yymm))
    return false;
  int month = (yymm[2] - '0') * 10 + (yymm[3] - '0');
  return month >= 1 && month <= 12;
}

bool expiry_has_passed(const char *yymm, long now)
{
  time_t t = (time_t)now;
  struct tm tm;

  gmtime_r(&t, &tm);
  int year = (yymm[0] - '0') * 10 + (yymm[1] - '0') + 2000;
  int month = (yymm[2] - '0') * 10 + (yymm[3] - '0');
  int this_year = tm.tm_year + 1900, this_month = tm.tm_mon + 1;
  return year < this_year || (year == this_year && month < this_month);
}

size_t pan_digit_run(const char *s, size_t *digits)
{
  size_t i = 0;

  *digits = 0;
  for (;;) {
    if (isdigit((unsigned char)s[i])) {
      (*digits)++;
      i++;
    } else if ((s[i] == ' ' || s[i] == '-') && *digits > 0 && isdigit((unsigned char)s[i + 1])) {
      i++;
    } else {
      return i;
    }
  }
}

char *pan_scrub(char *s)
{
  size_t i = 0;

  while (s[i]) {
    if (!isdigit((unsigned char)s[i])) {
      i++;
      continue;
    }
    size_t digits, end = i + pan_digit_run(s + i, &digits);
    /* part of a longer word (a hex request ID, a transaction number) is
     * not a card number someone typed */
    bool in_word = (i > 0 && isalpha((unsigned char)s[i - 1])) || isalpha((unsigned char)s[end]);
    if (digits >= PAN_MIN_LEN && !in_word)
      for (size_t k = i; k < end; k++)
        if (isdigit((unsigned char)s[k]))
          s[k] = '*';
    i = end;
  }
  return s;
}
