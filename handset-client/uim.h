/* uim.h — the handset's UIM store (docs/uim-store.md): read and checked at
 * open (mode 0600, shape, keys), updated by atomic rewrite.  Holds the
 * authentication results of [0074] and the lock-out counter the handset adds
 * (fields `auth_results` and `lockout`). */
#ifndef PAYGW_HANDSET_UIM_H
#define PAYGW_HANDSET_UIM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "common/ed25519.h"
#include "common/pan.h"

#define UIM_MAX_USERS 64
#define UIM_MAX_BYTES (1024 * 1024)
/* The lock-out rules come from the store (paygw-admin writes them), never
 * from the command line or the environment; these apply when it has none. */
#define UIM_DEFAULT_MAX_ATTEMPTS 5
#define UIM_DEFAULT_LOCK_S 1800L

enum uim_status {
  UIM_OK = 0,
  UIM_NOT_FOUND, /* no such file */
  UIM_BAD_MODE,  /* readable or writable by group or others, or not a regular file */
  UIM_CORRUPT,   /* not a store: bad JSON, missing or malformed fields, bad keys */
  UIM_IO,        /* could not read or write */
};

struct uim_user {
  const char *user_id, *label, *password_hash; /* point into root */
  char card_masked[PAN_MAX_LEN + 1];           /* the stored mask, masked again by pan_mask */
};

struct uim_store {
  char path[4096];
  json_t *root; /* the whole file; unknown fields are kept */
  const char *device_id, *gateway_url, *ca_cert;
  unsigned char device_priv[ED25519_KEY_LEN], device_pub[ED25519_KEY_LEN];
  unsigned char message_pub[ED25519_KEY_LEN];
  size_t n_users;
  struct uim_user users[UIM_MAX_USERS];
  int max_attempts; /* lockout_max_attempts, else UIM_DEFAULT_MAX_ATTEMPTS */
  long lock_s;      /* lockout_seconds, else UIM_DEFAULT_LOCK_S */
};

/* Opens path: refuses a mode other than owner-only, then parses it.
 * Returns a uim_status; err says what is wrong (never key material). */
enum uim_status uim_load(const char *path, struct uim_store *s, char *err, size_t errlen);

/* Parses store text (what uim_load does after reading).  UIM_OK or
 * UIM_CORRUPT with err.  s->path is left as it is. */
enum uim_status uim_parse(const char *text, size_t len, struct uim_store *s, char *err, size_t errlen);

/* Rewrites the store file atomically (temp + rename, 0600), dropping expired
 * auth results first ([0074]).  Returns 0 or -1 with err. */
int uim_save(struct uim_store *s, time_t now, char *err, size_t errlen);

void uim_free(struct uim_store *s);

/* The user entry with this ID, or NULL. */
const struct uim_user *uim_find_user(const struct uim_store *s, const char *user_id);

/* Stores an auth result for user_id, verified now and good for ttl seconds,
 * replacing an older one for the same user.  Returns 0 or -1. */
int uim_auth_add(struct uim_store *s, const char *user_id, time_t now, long ttl);

/* Looks up user_id's auth result: 0 when live at `now` (times copied into
 * verified/expires, >= 32 bytes each), 1 when present but expired, -1 when
 * there is none. */
int uim_auth_find(const struct uim_store *s, const char *user_id, time_t now, char *verified, char *expires);

/* Drops auth results that expired at or before now (or are malformed). */
void uim_auth_purge(struct uim_store *s, time_t now);

/* True while the store is locked after too many failed attempts; *until
 * (optional) gets the end of the lock.  `now` must be the real clock
 * (time(NULL)), never a simulated one. */
bool uim_locked(const struct uim_store *s, time_t now, time_t *until);

/* Counts one failed password attempt.  At the store's max_attempts failures
 * the store is locked until now + lock_s and the counter starts again.
 * Returns the attempts left before the lock (0 = it is locked now). */
int uim_failed_attempt(struct uim_store *s, time_t now);

/* Failed attempts counted so far (since the last success or lock). */
int uim_failed_count(const struct uim_store *s);

/* A successful authentication clears the counter (and a lapsed lock). */
void uim_attempt_succeeded(struct uim_store *s);

/* Ed25519 keys from PEM text: PKCS#8 private (fills priv and pub) or SPKI
 * public.  Return 0 or -1. */
int uim_private_key_from_pem(const char *pem, unsigned char priv[ED25519_KEY_LEN], unsigned char pub[ED25519_KEY_LEN]);
int uim_public_key_from_pem(const char *pem, unsigned char pub[ED25519_KEY_LEN]);

#endif
