/* settings.c — history.fcgi's environment (docs/config.md). */
#include "history/settings.h"
#include "common/config.h"

struct history_settings history_settings;

void history_settings_load(void)
{
  history_settings.session_idle_s = config_long("PAYGW_HISTORY_SESSION_IDLE_S", 900, 1, 86400);
  history_settings.session_max_s = config_long("PAYGW_HISTORY_SESSION_MAX_S", 43200, 60, 7 * 86400);
  history_settings.lock_after = config_long("PAYGW_HISTORY_LOCK_AFTER", 10, 1, 1000);
  history_settings.lock_s = config_long("PAYGW_HISTORY_LOCK_S", 1800, 1, 30 * 86400);
  history_settings.presession_s = config_long("PAYGW_HISTORY_PRESESSION_S", 3600, 60, 86400);
  history_settings.max_body = config_long("PAYGW_HISTORY_MAX_BODY", 4096, 256, 65536);
  history_settings.csv_max_rows = config_long("PAYGW_HISTORY_CSV_MAX_ROWS", 10000, 1, 1000000);
}
