/* money_text.c — the currency table and amounts as text (money_text.h). */
#include "common/money_text.h"

#include <stdio.h>
#include <string.h>

static const struct currency currencies[] = {
  { "JPY", "392", 0 }, { "USD", "840", 2 }, { "EUR", "978", 2 }, { "GBP", "826", 2 }, { NULL, NULL, 0 },
};

const struct currency *currency_by_alpha(const char *alpha)
{
  if (!alpha)
    return NULL;
  for (const struct currency *c = currencies; c->alpha; c++)
    if (strcmp(c->alpha, alpha) == 0)
      return c;
  return NULL;
}

int currency_exponent(const char *alpha)
{
  const struct currency *c = currency_by_alpha(alpha);
  return c ? c->exponent : -1;
}

/* 10^exp for the table's exponents (0..3 at most in ISO 4217). */
static uint64_t scale_of(int exp)
{
  uint64_t scale = 1;
  while (exp-- > 0)
    scale *= 10;
  return scale;
}

static int refuse(char *out, size_t cap)
{
  if (cap)
    out[0] = '\0';
  return -1;
}

static int format(int64_t minor, const char *alpha, int grouped, char *out, size_t cap)
{
  int exp = currency_exponent(alpha);
  if (exp < 0)
    return refuse(out, cap);
  /* the magnitude as unsigned, so INT64_MIN has one too */
  uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
  uint64_t scale = scale_of(exp);
  char whole[24], text[48];
  int n = snprintf(whole, sizeof whole, "%llu", (unsigned long long)(mag / scale));
  size_t t = 0;

  if (minor < 0)
    text[t++] = '-';
  for (int i = 0; i < n; i++) {
    if (grouped && i > 0 && (n - i) % 3 == 0)
      text[t++] = ',';
    text[t++] = whole[i];
  }
  if (exp > 0)
    t += (size_t)snprintf(text + t, sizeof text - t, ".%0*llu", exp, (unsigned long long)(mag % scale));
  text[t] = '\0';
  if (t + 1 > cap)
    return refuse(out, cap);
  memcpy(out, text, t + 1);
  return 0;
}

int money_text_plain(int64_t minor, const char *alpha, char *out, size_t cap)
{
  return format(minor, alpha, 0, out, cap);
}

int money_text_display(int64_t minor, const char *alpha, char *out, size_t cap)
{
  return format(minor, alpha, 1, out, cap);
}
