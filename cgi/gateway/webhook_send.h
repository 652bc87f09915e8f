/* webhook_send.h — one webhook attempt of paygw-webhooks: the next due
 * event claimed (db/webhook.h), its merchant's secret opened with the card
 * key file, the body POSTed with the Standard Webhooks headers, and what
 * came of it recorded (delivered, put off by the back-off, or given up).
 * docs/webhooks.md describes the format; docs/config.md the settings. */
#ifndef PAYGW_WEBHOOK_SEND_H
#define PAYGW_WEBHOOK_SEND_H

#include "db/db.h"

#include <stdbool.h>

/* The advisory lock only one sender holds ("webhk" in ASCII), and the
 * channel the enqueue trigger NOTIFYs (sql/0017). */
#define WEBHOOKS_LOCK_KEY "512802056299"
#define WEBHOOKS_CHANNEL "paygw_webhooks"

struct webhook_settings {
  long timeout_ms;         /* PAYGW_WEBHOOK_TIMEOUT_MS: a whole attempt, connect to answer */
  long connect_timeout_ms; /* PAYGW_WEBHOOK_CONNECT_TIMEOUT_MS */
  long backoff_ms;         /* PAYGW_WEBHOOK_BACKOFF_MS: after the first failed attempt, doubled after each */
  long backoff_max_ms;     /* PAYGW_WEBHOOK_BACKOFF_MAX_MS: ... up to this */
  long retry_for_s;        /* PAYGW_WEBHOOK_RETRY_FOR_S: give up once an event was queued this long ago */
  long every_s;            /* PAYGW_WEBHOOK_EVERY: the longest sleep between passes */
  long budget_ms;          /* PAYGW_WEBHOOK_BUDGET_MS: a pass starts no attempt after this */
  const char *ca_file;     /* PAYGW_WEBHOOK_CA: CA bundle for https (NULL: the system's) */
};
extern struct webhook_settings webhook_settings;

/* Reads the settings from the environment (docs/config.md). */
void webhook_settings_load(void);

/* Sets up libcurl once; false when it cannot. */
bool webhook_send_init(void);
void webhook_send_cleanup(void);

/* Claims the next due event and makes one attempt at it, recording what
 * came of it.  False when none was due or the database failed. */
bool webhook_send_one(struct db *db);

#endif
