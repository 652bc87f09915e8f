/* cache.c — see cache.h.  A worker is single-threaded, so plain statics do. */
#include "gateway/cache.h"
#include "common/config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define TERMINAL_SLOTS 64

struct terminal_slot {
  char code[33];
  struct terminal_row row;
  time_t fetched;
};

static struct terminal_slot terminals[TERMINAL_SLOTS];
static PGresult *ranges;
static time_t ranges_fetched;
static unsigned connection_seen;   /* db->generation the copies came from */

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
  if (ranges)
    PQclear(ranges);
  ranges = NULL;
}

/* A change to the cached tables was announced (sql/0004), or the connection
 * was re-opened and an announcement may have been missed: start afresh. */
static void forget_if_changed(struct db *db)
{
  if (!db->listen_channel)
    db_listen(db, ENROLMENT_CHANNEL);
  if (db_notified(db) || db->generation != connection_seen) {
    forget_everything();
    connection_seen = db->generation;
  }
}

static unsigned slot_of(const char *code)
{
  unsigned h = 2166136261u;            /* FNV-1a */
  for (const char *p = code; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  return h % TERMINAL_SLOTS;
}

enum db_status cache_terminal_by_code(struct db *db, const char *code, struct terminal_row *row)
{
  struct terminal_slot *slot = &terminals[slot_of(code)];
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

enum db_status cache_issuer_ranges(struct db *db, PGresult **res)
{
  time_t now = time(NULL);

  forget_if_changed(db);
  if (!ranges || now - ranges_fetched >= ttl()) {
    PGresult *fresh;
    enum db_status st = db_exec(db, &q_issuer_ranges, NULL, &fresh);
    if (st < 0)
      return st;
    if (ranges)
      PQclear(ranges);
    ranges = fresh;
    ranges_fetched = now;
  }
  *res = ranges;
  return PQntuples(ranges) ? DB_ROWS : DB_NO_ROWS;
}
