/* users_db.h — what sign-in reads and writes of gateway.users (its web
 * password and the failed-attempt count and lock), as paygw_history, which
 * may read only those columns and update only the last two
 * (sql/0019_history.sql).  One statement each, users_db.c. */
#ifndef HISTORY_USERS_DB_H
#define HISTORY_USERS_DB_H

#include "db/db.h"
#include "common/pwhash.h"

#include <stdbool.h>

struct hdb_signin_user {
  bool active;                            /* status = 'active' */
  bool has_password;                      /* a web password is set */
  char password_hash[PWHASH_ENCODED_MAX]; /* its argon2id PHC string */
  bool locked;                            /* locked_until is in the future */
  char locked_until[24];                  /* "YYYY-MM-DD HH:MM" UTC, when locked */
};

/* The user ID's sign-in data: DB_ONE_ROW, DB_NO_ROWS (no such user), or
 * an error. */
enum db_status hdb_user_for_signin(struct db *db, const char *user_id, struct hdb_signin_user *out);

/* Counts one wrong password for user_id: on the lock_after-th in a row
 * the user ID is locked for lock_s seconds (and the count starts again).
 * DB_ONE_ROW with out->locked and out->locked_until set, DB_NO_ROWS for
 * an unknown user ID, or an error. */
enum db_status hdb_user_signin_failed(struct db *db, const char *user_id, long lock_after, long lock_s,
                                      struct hdb_signin_user *out);

#endif
