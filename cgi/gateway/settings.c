/* settings.c — see settings.h; every name is listed in docs/config.md. */
#include "gateway/settings.h"
#include "gateway/rate_limit.h"
#include "gateway/refund.h"
#include "common/config.h"
#include "common/log.h"

struct settings settings;

int settings_load(void)
{
  unsigned char pub[ED25519_KEY_LEN];
  const char *key_file = config_str("PAYGW_MESSAGE_KEY_FILE", NULL);

  settings.device_window_s = config_long("PAYGW_DEVICE_WINDOW", 180, 5, 3600);
  settings.confirm_window_s = config_long("PAYGW_CONFIRM_WINDOW", 120, 5, 3600);
  settings.method_window_s = config_long("PAYGW_METHOD_WINDOW", 120, 5, 3600);
  settings.poll_interval_s = config_long("PAYGW_POLL_INTERVAL", 2, 0, 60);
  settings.auth_result_max_s = config_long("PAYGW_AUTH_RESULT_MAX", 3600, 60, 86400);
  settings.issuer_timeout_ms = config_long("PAYGW_ISSUER_TIMEOUT_MS", 5000, 100, 60000);
  settings.wait_max_s = config_long("PAYGW_WAIT_MAX", 30, 0, 120);
  settings.sweep_every_s = config_long("PAYGW_SWEEP_EVERY", 10, 1, 3600);
  settings.sweep_budget_ms = config_long("PAYGW_SWEEP_BUDGET_MS", 5000, 100, 600000);
  settings.reversal_timeout_ms = config_long("PAYGW_REVERSAL_TIMEOUT_MS", 1000, 100, 60000);
  settings.reversal_backoff_ms = config_long("PAYGW_REVERSAL_BACKOFF_MS", 1000, 100, 3600000);
  settings.reversal_backoff_max_ms = config_long("PAYGW_REVERSAL_BACKOFF_MAX_MS", 60000, 100, 86400000);
  settings.clock_skew_s = config_long("PAYGW_CLOCK_SKEW", 60, 1, 600);
  settings.max_open_per_user = config_long("PAYGW_MAX_OPEN_PER_USER", 3, 1, 100);
  settings.terminal_rate = config_long("PAYGW_TERMINAL_RATE", 10, 1, 100000);
  settings.terminal_burst = config_long("PAYGW_TERMINAL_BURST", 20, 0, 100000);
  settings.token_reply_s = config_long("PAYGW_TOKEN_REPLY_S", 120, 5, 3600);
  settings.token_ttl_s = config_long("PAYGW_TOKEN_TTL_S", 900, 60, 86400);
  /* the history's names: one lock for every door that takes the web password */
  settings.lock_after = config_long("PAYGW_HISTORY_LOCK_AFTER", 10, 1, 1000);
  settings.lock_s = config_long("PAYGW_HISTORY_LOCK_S", 1800, 1, 30 * 86400);
  /* refunds and voids (issue 15): a malformed cut-off is said once here,
   * and then no payment is voided (every refund is a 0220) */
  const char *cutoff = config_str("PAYGW_CUTOFF_TIME", "23:00");
  settings.cutoff_min = refund_cutoff_minutes(cutoff);
  if (settings.cutoff_min < 0)
    log_msg(LOG_ERROR, "PAYGW_CUTOFF_TIME %s is not HH:MM (00:00-23:59): no payment will be voided", cutoff);
  settings.cutoff_tz = config_str("PAYGW_CUTOFF_TZ", "Asia/Tokyo");
  if (!refund_zone_known(settings.cutoff_tz))
    log_msg(LOG_ERROR, "PAYGW_CUTOFF_TZ %s is not a time zone of this system: no payment will be voided",
            settings.cutoff_tz);
  settings.refund_give_up_s = config_long("PAYGW_REFUND_GIVE_UP_S", 86400, 10, 30 * 86400);
  rate_limit_params(settings.terminal_rate, settings.terminal_burst, settings.terminal_rate_interval_s,
                    settings.terminal_rate_tolerance_s);
  settings.credit_addr = config_str("PAYGW_CREDIT_ADDR", "127.0.0.1:8583");
  settings.have_message_key = false;
  if (!key_file) {
    log_msg(LOG_WARN, "PAYGW_MESSAGE_KEY_FILE is not set: mailbox messages cannot be signed");
    return 0;
  }
  if (ed25519_read_private_pem(key_file, settings.message_key, pub) != 0) {
    log_msg(LOG_ERROR, "cannot read the message key %s", key_file);
    return -1;
  }
  settings.have_message_key = true;
  return 0;
}
