/* settings.c — shop.fcgi's environment. */
#include "shop/settings.h"
#include "common/config.h"

#include <stdio.h>
#include <string.h>

struct shop_settings shop_settings;

void shop_settings_load(void)
{
  shop_settings.name = config_str("PAYGW_SHOP_NAME", "paygw demo shop");
  shop_settings.public_url = config_str("PAYGW_SHOP_PUBLIC_URL", "https://127.0.0.1:8443");
  shop_settings.gateway_url = config_str("PAYGW_SHOP_GATEWAY_URL", "https://127.0.0.1:8443");
  shop_settings.gateway_ca = config_str("PAYGW_SHOP_GATEWAY_CA", NULL);
  shop_settings.credential_file = config_str("PAYGW_SHOP_TERMINAL_CREDENTIAL_FILE", NULL);
  shop_settings.secret_file = config_str("PAYGW_SHOP_WEBHOOK_SECRET_FILE", NULL);
  shop_settings.currency = config_str("PAYGW_SHOP_CURRENCY", "JPY");
  shop_settings.gateway_timeout_ms = config_long("PAYGW_SHOP_GATEWAY_TIMEOUT_MS", 10000, 100, 120000);
  shop_settings.order_ttl_s = config_long("PAYGW_SHOP_ORDER_TTL_S", 600, 1, 86400);
  shop_settings.session_idle_s = config_long("PAYGW_SHOP_SESSION_IDLE_S", 900, 1, 86400);
  shop_settings.session_keep_s = config_long("PAYGW_SHOP_SESSION_KEEP_S", 86400, 60, 30 * 86400);
  shop_settings.webhook_tolerance_s = config_long("PAYGW_SHOP_WEBHOOK_TOLERANCE_S", 300, 1, 3600);
  shop_settings.max_body = config_long("PAYGW_SHOP_MAX_BODY", 16384, 256, 1048576);
}

int shop_read_secret(const char *path, char *out, size_t outlen)
{
  FILE *f = path && *path ? fopen(path, "r") : NULL;

  if (!f)
    return -1;
  char *line = fgets(out, (int)outlen, f);
  fclose(f);
  if (!line)
    return -1;
  size_t n = strlen(out);
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' ' || out[n - 1] == '\t'))
    out[--n] = '\0';
  return n > 0 ? 0 : -1;
}
