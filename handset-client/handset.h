/* handset.h — the handset program's commands, options and exit statuses
 * (docs/handset.md).  main.c parses; auth.c, cmd_pay.c, cmd_shop.c,
 * cmd_watch.c and payapp.c do the work. */
#ifndef PAYGW_HANDSET_H
#define PAYGW_HANDSET_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "handset-client/uim.h"
#include "proxlink/gwhttp.h"

/* Exit statuses, documented in docs/handset.md and `handset --help`. */
enum handset_exit {
  EXIT_DONE = 0,     /* pay: authenticated and sent; watch: payment completed */
  EXIT_NOT_PAID = 1, /* declined, canceled (Not agree), expired or failed */
  EXIT_USAGE = 2,    /* bad command line, or the store is missing, unsafe or corrupt */
  EXIT_NETWORK = 3,  /* gateway or POS unreachable, or the time-out of [0083] */
  EXIT_AUTH = 4,     /* wrong user ID or password; or no live auth result: authenticate again */
  EXIT_LOCKED = 5,   /* too many failed attempts: the store is locked for a while */
  EXIT_SHOP = 6,     /* shop: the online shop refused the user ID (unknown order, not awaiting one, ...) */
};

/* The message of [0083] when the gateway does not answer in time. */
#define TIMEOUT_MESSAGE                                                                                                \
  "Time-out: the gateway did not answer within %ld s. This payment has been aborted "                                  \
  "and must be carried out from the beginning."

struct handset_opts {
  const char *store;
  /* pay */
  const char *link, *user, *password;
  int card;        /* 1-based card number, 0 = ask */
  long auth_ttl_s; /* [0074]: 3600 */
  /* shop */
  const char *shop_url; /* --shop or PAYGW_SHOP_URL: the shop of a bare order code */
  /* watch (and shop) */
  int agree;          /* 1 agree, 0 not agree, -1 ask */
  const char *method; /* L I B pB R, NULL = ask */
  long installments;
  bool once;
  long timeout_s; /* [0083]: 120 */
  long for_s;     /* 0 = watch for ever */
  bool verbose;
  long clock_offset_s;          /* PAYGW_HANDSET_CLOCK_OFFSET: a handset whose clock is off */
  long backoff_max_s;           /* PAYGW_CLIENT_BACKOFF_MAX: most seconds between polls of a silent gateway */
  const char *only_transaction; /* shop: watch for this transaction's command only */
  /* token confirmations (second embodiment): the user's web password, from
   * --password-fd N or PAYGW_WEB_PASSWORD; NULL: ask with echo off */
  const char *web_password;
};

/* The handset's clock (the system clock plus the configured offset). */
time_t handset_now(const struct handset_opts *o);

int cmd_pay(struct handset_opts *o);
int cmd_shop(struct handset_opts *o, const char *target);
int cmd_watch(struct handset_opts *o);
int cmd_cards(struct handset_opts *o);

/* Local authentication (auth.c, figure 12): card, user ID and password
 * checked against the store, the auth result stored with its expiry, a
 * failure counted towards the lock-out.  Returns EXIT_DONE with the user ID
 * in user, or the exit status (the reason already printed). */
int handset_authenticate(const struct handset_opts *o, char *user, size_t ulen);

/* False (the reason printed) when not on a terminal and the options do not
 * answer the payment application's questions (--agree + --method, or
 * --decline): a script must never hang on a question. */
bool handset_answers_given(const struct handset_opts *o);

/* Opens the store named in o, printing the reason on failure.
 * Returns 0, or EXIT_USAGE. */
int handset_open_store(const struct handset_opts *o, struct uim_store *s);

/* Runs the payment application for one verified payment command
 * ([0080]-[0089]).  Returns an enum handset_exit, or PAYAPP_NOT_OPEN when the
 * payment had already ended at the gateway (nothing asked of the user). */
#define PAYAPP_NOT_OPEN 100
int payapp_run(const struct handset_opts *o, struct gw_http *g, const json_t *command);

/* Agree / Not agree (figure 16), from --agree/--decline or the keyboard. */
bool handset_ask_agree(const struct handset_opts *o);

/* The token confirmation of the second embodiment ([0149]-[0155],
 * tokenapp.c): shows a verified token_confirmation message, asks Agree /
 * Not agree and, on Agree, the web password, and posts the reply signed by
 * the device key.  Returns an enum handset_exit, or PAYAPP_NOT_OPEN when
 * the request had already ended at the gateway (409 wrong_state). */
int tokenapp_run(const struct handset_opts *o, struct gw_http *g, const json_t *message);

#endif
