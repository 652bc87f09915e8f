/* settings.h — the gateway's time-outs and knobs, read once per worker (and
 * by the sweeper) from the environment (docs/config.md), with the patent's
 * values as defaults. */
#ifndef PAYGW_SETTINGS_H
#define PAYGW_SETTINGS_H

#include "common/ed25519.h"

#include <stdbool.h>

struct settings {
  long device_window_s;         /* awaiting_device: the handset must authenticate within */
  long confirm_window_s;        /* awaiting_confirmation: [0099], 120 s */
  long method_window_s;         /* awaiting_method */
  long poll_interval_s;         /* the mailbox's answer: poll again after */
  long auth_result_max_s;       /* longest auth result accepted ([0074]: 1 h) */
  long issuer_timeout_ms;       /* the credit server's answer is expected within */
  long wait_max_s;              /* cap of GET /v1/transactions/{n}?wait= */
  long sweep_every_s;           /* the sweeper's longest sleep between passes */
  long sweep_budget_ms;         /* a sweeper pass starts no new reversal after this */
  long reversal_timeout_ms;     /* the 0410 is expected within */
  long reversal_backoff_ms;     /* wait after the first unacknowledged reversal, doubled after each */
  long reversal_backoff_max_ms; /* ... up to this */
  long clock_skew_s;            /* tolerated difference of handset clocks */
  long max_open_per_user;       /* open transactions one user ID may hold (issue 4) */
  long terminal_rate;           /* new transactions per second one terminal may ask for */
  long terminal_burst;          /* ... and how many more at once */
  long token_reply_s;           /* a token request waits this long for the handset's reply ([0155], 120 s) */
  long token_ttl_s;             /* an issued token's own life (its expiry, field 62): 15 min */
  long lock_after;              /* wrong web passwords in a row that lock a user ID (the history's rule) */
  long lock_s;                  /* ... for this long */
  int cutoff_min;               /* the day's cut-off for voids, minutes after local midnight (PAYGW_CUTOFF_TIME) */
  const char *cutoff_tz;        /* ... in this time zone (PAYGW_CUTOFF_TZ, an IANA name) */
  long refund_give_up_s;        /* a refund unanswered this long after it was made is failed */
  char terminal_rate_interval_s[32], terminal_rate_tolerance_s[32]; /* rate_limit_params of the two */
  const char *credit_addr;                                          /* host:port of the credit server */
  unsigned char message_key[ED25519_KEY_LEN];                       /* signs mailbox messages */
  bool have_message_key;
};

extern struct settings settings;

/* Reads the environment and the message key file.  Returns 0 or -1 (logged). */
int settings_load(void);

#endif
