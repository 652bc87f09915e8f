/* db_internal.h — what db.c, transaction.c and result.c share: the
 * connection's state.  Programs see struct db only through db.h. */
#ifndef PAYGW_DB_INTERNAL_H
#define PAYGW_DB_INTERNAL_H

#include "db/db.h"

#include <stdint.h>

#define DB_MAX_CHANNELS 4

/* Which run of which server a connection is to (incarnation.c): a lost
 * COMMIT's fate is read only on the same one.  Texts as the server gave
 * them; `known` is false when they could not be read. */
struct db_incarnation {
  bool known;
  char system_id[24];   /* pg_control_system().system_identifier */
  char timeline[16];    /* the current WAL file name's first 8 hex digits */
  char started[40];     /* pg_postmaster_start_time(), epoch seconds */
  char stats_reset[40]; /* pg_stat_bgwriter.stats_reset, epoch seconds ("" if never) */
};

struct db {
  PGconn *conn;
  char *uri;
  char program[32];    /* application_name */
  unsigned generation; /* bumped on every (re)connect */
  bool in_transaction;
  bool plans_outdated;                       /* a migration changed a result type: re-prepare */
  uint64_t prepared[DB_MAX_STATEMENTS / 64]; /* statement slots prepared on this connection */
  const char *channels[DB_MAX_CHANNELS];
  int n_channels;
  long in_doubt_wait_ms;             /* PAYGW_DB_IN_DOUBT_MS */
  long reconnect_wait_ms;            /* PAYGW_DB_RECONNECT_MS */
  long fence_wait_ms;                /* PAYGW_DB_FENCE_MS (fence.c) */
  struct db_incarnation incarnation; /* of the current connection */
  unsigned connect_failures;         /* in a row, for the log */
  long long connect_logged_ms;       /* when one was last logged */
  bool gave_up_waiting;              /* a whole reconnect wait failed, no connection since */
  bool in_doubt;                     /* the last call or transaction ended DB_IN_DOUBT */
  char xact_id[24];                  /* the open transaction's ID (pg_current_xact_id) */
  char sqlstate[6];                  /* of the last failed statement */
  char error[256];                   /* its primary message */
};

/* (Re)connects, LISTENs again, forgets what was prepared. */
bool db_connect_now(struct db *db);
bool db_connected(const struct db *db);
/* Sets db->sqlstate/error; DB_SOFT_ERROR for a retryable error (marking
 * plans_outdated when that is why), else DB_HARD_ERROR. */
enum db_status db_classify(struct db *db, const PGresult *res);
void db_forget_prepared(struct db *db);
void db_pause_ms(long ms);
/* Milliseconds of CLOCK_MONOTONIC, for the layer's deadlines. */
long long db_monotonic_ms(void);
/* Re-opens the connection within wait_ms, or tries once when a whole wait
 * already failed since the last connection (db.c). */
bool db_reconnect_within(struct db *db, long wait_ms);

/* True when db->conn's server may be used: it expects no synchronous
 * standby, or one acknowledged an empty commit within fence_wait_ms; else
 * the URI's other hosts are tried in turn and db->conn may be replaced
 * (fence.c).  False: no host passed; db->conn is then a failed connection
 * or one not to use. */
bool db_fence_connection(struct db *db);
/* hosts (comma-separated) and their ports (one for all, one each, or
 * empty) without the entry host:port; how many remain. */
int db_hosts_without(const char *hosts, const char *ports, const char *host, const char *port, char *hosts_out,
                     char *ports_out, size_t cap);

/* Reads the connection's incarnation into db->incarnation (not known when
 * the server would not say: logged). */
void db_learn_incarnation(struct db *db);
/* NULL when both are known and alike; else why not, written into why. */
const char *db_incarnation_differs(const struct db_incarnation *then, const struct db_incarnation *now, char *why,
                                   size_t cap);

#endif
