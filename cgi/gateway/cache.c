/* cache.c — see cache.h.  A worker is single-threaded, so plain statics do. */
#include "gateway/cache.h"
#include "gateway/db/device.h"
#include "gateway/db/enrolment.h"
#include "gateway/db/handset.h"
#include "gateway/methods.h"
#include "common/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TERMINAL_SLOTS 64
#define USER_SLOTS 256

struct terminal_slot {
  char code[33];
  struct terminal_row row;
  time_t fetched;
};

static struct terminal_slot terminals[TERMINAL_SLOTS];
struct user_slot {
  char user_id[33];
  char device_code[33];
  time_t fetched;
};

static struct user_slot users[USER_SLOTS];

#define DEVICE_SLOTS 256
struct device_slot {
  char code[33];
  struct device_key key;
  time_t fetched;
};

static struct device_slot devices[DEVICE_SLOTS];

struct user_key_slot {
  char user_id[33];
  struct user_key key;
  time_t fetched;
};

static struct user_key_slot user_keys[USER_SLOTS];
static struct issuer_range *ranges; /* malloc'd by db_issuer_ranges */
static int ranges_count;
static time_t ranges_fetched;    /* 0: not read since the last change */
static unsigned connection_seen; /* db_generation() the copies came from */

static long ttl(void)
{
  static long seconds = -1;
  if (seconds < 0)
    seconds = config_long("PAYGW_CACHE_SECONDS", 60, 0, 3600);
  return seconds;
}

static void forget_everything(void)
{
  memset(terminals, 0, sizeof terminals);
  memset(users, 0, sizeof users);
  memset(devices, 0, sizeof devices);
  memset(user_keys, 0, sizeof user_keys);
  free(ranges);
  ranges = NULL;
  ranges_count = 0;
  ranges_fetched = 0;
}

/* A change to the cached tables was announced (sql/0004), or the connection
 * was re-opened and an announcement may have been missed: start afresh. */
static void forget_if_changed(struct db *db)
{
  db_listen(db, ENROLMENT_CHANNEL); /* once: a channel already listened on is kept */
  if (db_notified(db) || db_generation(db) != connection_seen) {
    forget_everything();
    connection_seen = db_generation(db);
  }
}

static unsigned hash_of(const char *code)
{
  unsigned h = 2166136261u; /* FNV-1a */
  for (const char *p = code; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  return h;
}

enum db_status cache_terminal_by_code(struct db *db, const char *code, struct terminal_row *row)
{
  struct terminal_slot *slot = &terminals[hash_of(code) % TERMINAL_SLOTS];
  time_t now = time(NULL);

  forget_if_changed(db);
  if (slot->fetched && now - slot->fetched < ttl() && strcmp(slot->code, code) == 0) {
    *row = slot->row;
    return DB_ONE_ROW;
  }
  enum db_status st = db_terminal_by_code(db, code, row);
  if (st == DB_ONE_ROW && ttl() > 0) {
    snprintf(slot->code, sizeof slot->code, "%s", code);
    slot->row = *row;
    slot->fetched = now;
  }
  return st;
}

enum db_status cache_issuer_ranges(struct db *db, const struct issuer_range **rows, int *n)
{
  time_t now = time(NULL);

  forget_if_changed(db);
  if (!ranges_fetched || now - ranges_fetched >= ttl()) {
    struct issuer_range *fresh;
    int count;
    enum db_status st = db_issuer_ranges(db, &fresh, &count);
    if (st < 0)
      return st;
    free(ranges);
    ranges = fresh;
    ranges_count = count;
    ranges_fetched = now;
  }
  *rows = ranges;
  *n = ranges_count;
  return ranges_count ? DB_ROWS : DB_NO_ROWS;
}

const char *cache_user_device(const char *user_id)
{
  struct user_slot *slot = &users[hash_of(user_id) % USER_SLOTS];

  if (slot->fetched && time(NULL) - slot->fetched < ttl() && strcmp(slot->user_id, user_id) == 0)
    return slot->device_code;
  return NULL;
}

void cache_user_device_put(const char *user_id, const char *device_code)
{
  struct user_slot *slot = &users[hash_of(user_id) % USER_SLOTS];

  if (ttl() <= 0 || strlen(user_id) >= sizeof slot->user_id || strlen(device_code) >= sizeof slot->device_code)
    return;
  snprintf(slot->user_id, sizeof slot->user_id, "%s", user_id);
  snprintf(slot->device_code, sizeof slot->device_code, "%s", device_code);
  slot->fetched = time(NULL);
}

enum db_status cache_device_key(struct db *db, const char *code, int64_t *id, unsigned char public_key[32])
{
  struct device_slot *slot = &devices[hash_of(code) % DEVICE_SLOTS];
  time_t now = time(NULL);

  forget_if_changed(db);
  if (!(slot->fetched && now - slot->fetched < ttl() && strcmp(slot->code, code) == 0)) {
    struct device_key key;
    enum db_status st = db_device_key(db, code, &key);
    if (st != DB_ONE_ROW)
      return st;
    slot->fetched = 0;
    if (ttl() > 0 && strlen(code) < sizeof slot->code) {
      snprintf(slot->code, sizeof slot->code, "%s", code);
      slot->key = key;
      slot->fetched = now;
    }
    *id = key.id;
    memcpy(public_key, key.public_key, 32);
    return DB_ONE_ROW;
  }
  *id = slot->key.id;
  memcpy(public_key, slot->key.public_key, 32);
  return DB_ONE_ROW;
}

void cache_device_forget(const char *code)
{
  struct device_slot *slot = &devices[hash_of(code) % DEVICE_SLOTS];

  if (strcmp(slot->code, code) == 0)
    slot->fetched = 0;
}

/* The user's card decrypted once, when the user is cached: its digest and
 * issuer go with device-auth so the confirmation needs no read (see
 * gateway.do_device_auth).  A card that does not decrypt is left for the
 * confirmation to find and report. */
static enum db_status user_card_checked(struct db *db, const struct txn_card *card, struct user_key *key)
{
  bool readable;
  enum db_status st = methods_card_issuer(db, card, &readable, key->issuer_id);

  if (st < 0)
    return st;
  if (readable)
    snprintf(key->card_digest, sizeof key->card_digest, "%s", card->digest);
  if (st != DB_ONE_ROW)
    key->issuer_id[0] = '\0';
  return DB_ONE_ROW;
}

enum db_status cache_user_key(struct db *db, const char *user_id, struct user_key *key)
{
  struct user_key_slot *slot = &user_keys[hash_of(user_id) % USER_SLOTS];
  time_t now = time(NULL);

  forget_if_changed(db);
  if (slot->fetched && now - slot->fetched < ttl() && strcmp(slot->user_id, user_id) == 0) {
    *key = slot->key;
    return DB_ONE_ROW;
  }
  struct txn_card card;
  enum db_status st = db_user_key(db, user_id, key, &card);
  if (st == DB_ONE_ROW)
    st = user_card_checked(db, &card, key);
  if (st == DB_ONE_ROW && ttl() > 0 && strlen(user_id) < sizeof slot->user_id) {
    snprintf(slot->user_id, sizeof slot->user_id, "%s", user_id);
    slot->key = *key;
    slot->fetched = now;
  }
  return st;
}

void cache_user_key_forget(const char *user_id)
{
  struct user_key_slot *slot = &user_keys[hash_of(user_id) % USER_SLOTS];

  if (strcmp(slot->user_id, user_id) == 0)
    slot->fetched = 0;
}
