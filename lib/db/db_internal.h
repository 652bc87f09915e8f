/* db_internal.h — what db.c, transaction.c and result.c share: the
 * connection's state.  Programs see struct db only through db.h. */
#ifndef PAYGW_DB_INTERNAL_H
#define PAYGW_DB_INTERNAL_H

#include "db/db.h"

#include <stdint.h>

#define DB_MAX_CHANNELS 4

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
  long in_doubt_wait_ms; /* PAYGW_DB_IN_DOUBT_MS */
  bool in_doubt;         /* the last call or transaction ended DB_IN_DOUBT */
  char xact_id[24];      /* the open transaction's ID (pg_current_xact_id) */
  char sqlstate[6];      /* of the last failed statement */
  char error[256];       /* its primary message */
};

/* (Re)connects, LISTENs again, forgets what was prepared. */
bool db_connect_now(struct db *db);
bool db_connected(const struct db *db);
/* Sets db->sqlstate/error; DB_SOFT_ERROR for a retryable error (marking
 * plans_outdated when that is why), else DB_HARD_ERROR. */
enum db_status db_classify(struct db *db, const PGresult *res);
void db_forget_prepared(struct db *db);
void db_pause_ms(long ms);

#endif
