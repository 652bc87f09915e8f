/* prom_value.h — for the unit tests of the Prometheus text (test_metrics,
 * test_credit_metrics): one sample's value read back from the text. */
#ifndef PAYGW_TEST_PROM_VALUE_H
#define PAYGW_TEST_PROM_VALUE_H

#include <stdlib.h>
#include <string.h>

/* the value of the line starting with `prefix ` in text, or -1 */
static inline double value_of(const char *text, const char *prefix)
{
  size_t n = strlen(prefix);

  for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
    if (strncmp(line, prefix, n) == 0 && line[n] == ' ')
      return strtod(line + n + 1, NULL);
  return -1;
}

#endif
