/* settings.h — history.fcgi's configuration, read once at start from the
 * environment (docs/config.md, "The transaction history"). */
#ifndef HISTORY_SETTINGS_H
#define HISTORY_SETTINGS_H

struct history_settings {
  long session_idle_s; /* PAYGW_HISTORY_SESSION_IDLE_S: a session unused this long has ended */
  long session_max_s;  /* PAYGW_HISTORY_SESSION_MAX_S: and any session this old */
  long lock_after;     /* PAYGW_HISTORY_LOCK_AFTER: wrong passwords in a row that lock a user ID */
  long lock_s;         /* PAYGW_HISTORY_LOCK_S: for this long */
  long presession_s;   /* PAYGW_HISTORY_PRESESSION_S: how long a sign-in form stays usable */
  long max_body;       /* PAYGW_HISTORY_MAX_BODY: the largest form body read */
  long csv_max_rows;   /* PAYGW_HISTORY_CSV_MAX_ROWS: the most rows one CSV export lists */
};

extern struct history_settings history_settings;

void history_settings_load(void);

#endif
