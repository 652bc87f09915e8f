/* adb.c — connection, transaction and prepared-statement helpers for
 * paygw-admin (see adb.h).  Kept apart from cgi/gateway/db on purpose: the
 * admin tool is a short-lived command, not a worker. */
#include "adb.h"

#include "common/config.h"
#include "common/log.h"

#include <pwd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void remember_error(struct adb *db, const PGresult *res)
{
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
  snprintf(db->error, sizeof db->error, "%s", msg ? msg : PQerrorMessage(db->conn));
  db->error[strcspn(db->error, "\n")] = '\0';
}

int adb_open(struct adb *db)
{
  const char *uri = config_str("PAYGW_ADMIN_DB_URI", config_str("PAYGW_DB_URI", NULL));

  memset(db, 0, sizeof *db);
  if (!uri) {
    fprintf(stderr, "paygw-admin: no database: set PAYGW_ADMIN_DB_URI or PAYGW_DB_URI (. var/stack.env)\n");
    return -1;
  }
  db->conn = PQconnectdb(uri);
  if (PQstatus(db->conn) != CONNECTION_OK) {
    /* libpq's message names host and port, never the password */
    fprintf(stderr, "paygw-admin: cannot connect to the database: %s", PQerrorMessage(db->conn));
    PQfinish(db->conn);
    db->conn = NULL;
    return -1;
  }
  db->pending_log = json_array();
  return 0;
}

void adb_close(struct adb *db)
{
  if (db->conn) {
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
      PQclear(PQexec(db->conn, "ROLLBACK"));
    PQfinish(db->conn);
  }
  json_decref(db->pending_log);
  memset(db, 0, sizeof *db);
}

static int simple_command(struct adb *db, const char *sql)
{
  PGresult *res = PQexec(db->conn, sql);
  int rc = 0;

  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    remember_error(db, res);
    rc = -1;
  }
  PQclear(res);
  return rc;
}

int adb_begin(struct adb *db)
{
  json_array_clear(db->pending_log);
  return simple_command(db, "BEGIN");
}

int adb_commit(struct adb *db)
{
  size_t i;
  json_t *line;

  if (simple_command(db, "COMMIT") != 0)
    return -1;
  json_array_foreach(db->pending_log, i, line)
    log_event(LOG_INFO, json_incref(line));
  json_array_clear(db->pending_log);
  return 0;
}

static bool is_prepared(const struct adb *db, const char *name)
{
  for (int i = 0; i < db->n_prepared; i++)
    if (strcmp(db->prepared[i], name) == 0)
      return true;
  return false;
}

static int prepare_once(struct adb *db, const char *name, const char *sql, int nparams)
{
  if (is_prepared(db, name))
    return 0;
  if (db->n_prepared == ADB_MAX_PREPARED) {
    snprintf(db->error, sizeof db->error, "too many prepared statements (raise ADB_MAX_PREPARED)");
    return -1;
  }
  PGresult *res = PQprepare(db->conn, name, sql, nparams, NULL);
  int rc = 0;
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    remember_error(db, res);
    rc = -1;
  } else {
    db->prepared[db->n_prepared++] = name;
  }
  PQclear(res);
  return rc;
}

PGresult *adb_exec(struct adb *db, const char *name, const char *sql, int nparams,
                   const char *const *params)
{
  db->sqlstate[0] = '\0';
  db->error[0] = '\0';
  if (prepare_once(db, name, sql, nparams) != 0)
    return NULL;
  PGresult *res = PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
    return res;
  remember_error(db, res);
  PQclear(res);
  return NULL;
}

long adb_exec_count(struct adb *db, const char *name, const char *sql, int nparams,
                    const char *const *params)
{
  PGresult *res = adb_exec(db, name, sql, nparams, params);
  long n = -1;

  if (res) {
    n = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : atol(PQcmdTuples(res));
    PQclear(res);
  }
  return n;
}

int adb_lookup(struct adb *db, const char *name, const char *sql, const char *param,
               long long *id, char status[16])
{
  const char *params[1] = { param };
  PGresult *res = adb_exec(db, name, sql, 1, params);
  int rc = -1;

  if (!res)
    return -1;
  rc = PQntuples(res) > 0;
  if (rc) {
    *id = atoll(PQgetvalue(res, 0, 0));
    if (status)
      snprintf(status, 16, "%s", PQnfields(res) > 1 ? PQgetvalue(res, 0, 1) : "");
  }
  PQclear(res);
  return rc;
}

const char *adb_get(const PGresult *res, int row, const char *column)
{
  int col = PQfnumber(res, column);

  return col < 0 || PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

bool adb_error_is_constraint(const struct adb *db)
{
  return strncmp(db->sqlstate, "23", 2) == 0;
}

const char *adb_actor(void)
{
  static char actor[64];
  const char *sudo = getenv("SUDO_USER");
  struct passwd *pw;

  if (actor[0])
    return actor;
  if (sudo && *sudo)
    snprintf(actor, sizeof actor, "%s (sudo)", sudo);
  else if ((pw = getpwuid(getuid())))
    snprintf(actor, sizeof actor, "%s", pw->pw_name);
  else
    snprintf(actor, sizeof actor, "uid %u", (unsigned)getuid());
  return actor;
}

int adb_log_action(struct adb *db, const char *action, const char *subject)
{
  static const char sql[] =
      "INSERT INTO gateway.admin_log (actor, action, subject) VALUES ($1, $2, $3)";
  const char *params[3] = { adb_actor(), action, subject };

  if (adb_exec_count(db, "admin_log_insert", sql, 3, params) != 1)
    return -1;
  if (!db->rows_only)
    json_array_append_new(db->pending_log, json_pack("{s:s, s:s, s:s, s:s}", "msg", "admin action",
                                                   "actor", params[0], "action", action, "subject", subject));
  return 0;
}
