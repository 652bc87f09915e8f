/* config.h — configuration from environment variables, with the patent's
 * values as defaults.  Every variable is listed in docs/config.md. */
#ifndef PAYGW_CONFIG_H
#define PAYGW_CONFIG_H

#include <stdbool.h>

/* The value of `name`, or `fallback` when unset or empty. */
const char *config_str(const char *name, const char *fallback);

/* The integer value of `name` within [min, max], or `fallback` when unset;
 * a malformed or out-of-range value is logged and replaced by `fallback`. */
long config_long(const char *name, long fallback, long min, long max);

bool config_bool(const char *name, bool fallback);

#endif
