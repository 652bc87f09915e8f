/* amount.c — money as text from integer minor units (amount.h). */
#include "web/amount.h"

#include <stdio.h>
#include <string.h>

/* ISO 4217 currencies whose minor unit is not 2 digits (list of 2024). */
static const char *const zero_decimals[] = { "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                             "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF" };
static const char *const three_decimals[] = { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };

int amount_decimals(const char *currency)
{
  for (size_t i = 0; i < sizeof zero_decimals / sizeof zero_decimals[0]; i++)
    if (strcmp(currency, zero_decimals[i]) == 0)
      return 0;
  for (size_t i = 0; i < sizeof three_decimals / sizeof three_decimals[0]; i++)
    if (strcmp(currency, three_decimals[i]) == 0)
      return 3;
  return 2;
}

static int format(int64_t minor, const char *currency, int grouped, char *out, size_t cap)
{
  int dec = amount_decimals(currency);
  /* the magnitude as unsigned, so INT64_MIN has one too */
  uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
  uint64_t scale = dec == 0 ? 1 : dec == 2 ? 100 : 1000;
  char whole[32], text[64];
  int n = snprintf(whole, sizeof whole, "%llu", (unsigned long long)(mag / scale));
  size_t t = 0;

  if (minor < 0)
    text[t++] = '-';
  for (int i = 0; i < n; i++) {
    if (grouped && i > 0 && (n - i) % 3 == 0)
      text[t++] = ',';
    text[t++] = whole[i];
  }
  if (dec > 0)
    t += (size_t)snprintf(text + t, sizeof text - t, ".%0*llu", dec, (unsigned long long)(mag % scale));
  text[t] = '\0';
  if (t + 1 > cap) {
    if (cap)
      out[0] = '\0';
    return -1;
  }
  memcpy(out, text, t + 1);
  return 0;
}

int amount_plain(int64_t minor, const char *currency, char *out, size_t cap)
{
  return format(minor, currency, 0, out, cap);
}

int amount_display(int64_t minor, const char *currency, char *out, size_t cap)
{
  return format(minor, currency, 1, out, cap);
}
