/* adb.h — paygw-admin's small database layer: connect, one transaction per
 * command, prepared statements with parameters (prepared once per
 * connection, by name), and the admin log written inside the transaction. */
#ifndef PAYGW_ADMIN_ADB_H
#define PAYGW_ADMIN_ADB_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#define ADB_MAX_PREPARED 64

struct adb {
  PGconn *conn;
  char sqlstate[6];            /* of the last failed statement, "" if none */
  char error[512];             /* its primary message */
  const char *prepared[ADB_MAX_PREPARED];
  int n_prepared;
  json_t *pending_log;         /* admin actions logged once the commit holds */
  bool rows_only;              /* admin_log rows but no JSON lines (bulk loads) */
};

/* Connects to PAYGW_ADMIN_DB_URI (or PAYGW_DB_URI).  Returns 0, or -1 after
 * printing why on stderr. */
int adb_open(struct adb *db);

/* Rolls back an open transaction and closes the connection. */
void adb_close(struct adb *db);

/* BEGIN / COMMIT.  Return 0 or -1 (message in db->error).  A commit that
 * holds writes the JSON log lines of the admin actions it carried. */
int adb_begin(struct adb *db);
int adb_commit(struct adb *db);

/* Runs the named statement with text parameters.  Returns the result
 * (PGRES_TUPLES_OK or PGRES_COMMAND_OK, caller PQclears it), or NULL with
 * db->sqlstate and db->error set. */
PGresult *adb_exec(struct adb *db, const char *name, const char *sql, int nparams,
                   const char *const *params);

/* adb_exec for statements whose rows are not needed: returns the number of
 * rows returned or changed, or -1. */
long adb_exec_count(struct adb *db, const char *name, const char *sql, int nparams,
                    const char *const *params);

/* Runs a statement returning at most one row whose first column is an id
 * and (optionally) whose second is a status.  Returns 1 with *id (and
 * status) filled, 0 when no row, -1 on error. */
int adb_lookup(struct adb *db, const char *name, const char *sql, const char *param,
               long long *id, char status[16]);

/* Value of a named column of row `row` (never NULL; "" for SQL NULL). */
const char *adb_get(const PGresult *res, int row, const char *column);

/* True when the last error is a constraint violation (SQLSTATE class 23). */
bool adb_error_is_constraint(const struct adb *db);

/* Inserts a gateway.admin_log row (actor, action, subject: never a secret)
 * and queues the JSON log line written when the transaction commits.
 * Returns 0 or -1. */
int adb_log_action(struct adb *db, const char *action, const char *subject);

/* The name admin actions are recorded under: $SUDO_USER or the login name. */
const char *adb_actor(void);

#endif
