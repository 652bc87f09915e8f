/* settings.h — shop.fcgi's configuration, read once at start from the
 * environment (docs/config.md, "The demo shop"). */
#ifndef SHOP_SETTINGS_H
#define SHOP_SETTINGS_H

#include <stddef.h>

struct shop_settings {
  const char *name;            /* PAYGW_SHOP_NAME */
  const char *public_url;      /* PAYGW_SHOP_PUBLIC_URL: scheme://host:port the shop is reached at */
  const char *gateway_url;     /* PAYGW_SHOP_GATEWAY_URL */
  const char *gateway_ca;      /* PAYGW_SHOP_GATEWAY_CA, NULL: the system's */
  const char *credential_file; /* PAYGW_SHOP_TERMINAL_CREDENTIAL_FILE */
  const char *secret_file;     /* PAYGW_SHOP_WEBHOOK_SECRET_FILE */
  const char *currency;        /* PAYGW_SHOP_CURRENCY */
  long gateway_timeout_ms;     /* PAYGW_SHOP_GATEWAY_TIMEOUT_MS */
  long order_ttl_s;            /* PAYGW_SHOP_ORDER_TTL_S */
  long session_idle_s;         /* PAYGW_SHOP_SESSION_IDLE_S */
  long session_keep_s;         /* PAYGW_SHOP_SESSION_KEEP_S */
  long webhook_tolerance_s;    /* PAYGW_SHOP_WEBHOOK_TOLERANCE_S */
  long max_body;               /* PAYGW_SHOP_MAX_BODY */
};

extern struct shop_settings shop_settings;

void shop_settings_load(void);

/* The first line of a small secret file (a credential, a webhook secret)
 * into out, trailing whitespace removed: 0, or -1 (unset, unreadable,
 * empty).  Read at each use, so a file written after the start (by the
 * demo set-up) or rotated is taken without a restart. */
int shop_read_secret(const char *path, char *out, size_t outlen);

#endif
