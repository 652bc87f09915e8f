/* incarnation.c — which run of which server a connection is to, so that a
 * COMMIT whose answer was lost is looked up only where it was sent.
 *
 * pg_xact_status answers for a transaction ID on the server it is asked.
 * After a failover the new primary is another server whose IDs ran on
 * from the last one it replayed: an ID whose commit never reached it is
 * handed out again, and the lookup would answer for that other
 * transaction.  A crash-restart of the same server does the same: an ID
 * whose assignment reached no WAL before the crash is handed out again
 * (seen on PostgreSQL 15: an ID held open across a backend's kill -9 was
 * the next one given after the restart, and pg_xact_status called it
 * "committed" once its new owner committed).  So each connection learns,
 * once, what names its server's incarnation:
 *   system_identifier   the cluster (the same on a standby made from it)
 *   timeline            the first 8 hex digits of the current WAL file's
 *                       name: a promoted standby starts a new one
 *   postmaster start    a restart, also one by pg_auto_failover's keeper
 *   statistics reset    pg_stat_bgwriter.stats_reset: crash recovery
 *                       throws the cumulative statistics away and stamps
 *                       the reset with its own time, while the postmaster
 *                       (restart_after_crash = on) keeps its start time
 *                       and the cluster its timeline (seen, as above)
 * Anything that differs, or is not known, leaves the COMMIT in doubt.  A
 * pg_stat_reset_shared('bgwriter') moves the last one too: a lost COMMIT
 * in that moment is called in doubt for nothing, which is safe. */
#include "db/db_internal.h"
#include "common/log.h"

#include <stdio.h>
#include <string.h>

/* Constant, no parameters: run as a simple query on a new connection. */
static const char incarnation_sql[] =
    "SELECT system_identifier::text AS system_id,"
    " CASE WHEN pg_is_in_recovery() THEN NULL"
    " ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END AS timeline,"
    " extract(epoch FROM pg_postmaster_start_time())::text AS started,"
    " coalesce(extract(epoch FROM (SELECT stats_reset FROM pg_stat_bgwriter))::text, '') AS stats_reset"
    " FROM pg_control_system()";

static bool copy_column(const PGresult *res, const char *name, char *dst, size_t cap)
{
  int col = PQfnumber(res, name);

  if (col < 0 || PQgetisnull(res, 0, col) || (size_t)PQgetlength(res, 0, col) >= cap)
    return false;
  memcpy(dst, PQgetvalue(res, 0, col), (size_t)PQgetlength(res, 0, col) + 1);
  return true;
}

void db_learn_incarnation(struct db *db)
{
  struct db_incarnation *inc = &db->incarnation;
  PGresult *res = PQexec(db->conn, incarnation_sql);

  memset(inc, 0, sizeof *inc);
  if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
    inc->known = copy_column(res, "system_id", inc->system_id, sizeof inc->system_id)
                 && copy_column(res, "timeline", inc->timeline, sizeof inc->timeline)
                 && copy_column(res, "started", inc->started, sizeof inc->started)
                 && copy_column(res, "stats_reset", inc->stats_reset, sizeof inc->stats_reset);
  if (!inc->known)
    log_msg(LOG_WARN, "cannot tell which server this connection is to (%s): a COMMIT lost on it will be in doubt",
            PQresultStatus(res) == PGRES_TUPLES_OK ? "no answer" : PQresultErrorMessage(res));
  PQclear(res);
}

const char *db_incarnation_differs(const struct db_incarnation *then, const struct db_incarnation *now, char *why,
                                   size_t cap)
{
  if (!then->known)
    snprintf(why, cap, "the server the COMMIT went to was never identified");
  else if (!now->known)
    snprintf(why, cap, "the server of the new connection cannot be identified");
  else if (strcmp(then->system_id, now->system_id) != 0)
    snprintf(why, cap, "another cluster (system identifier %s, the COMMIT's %s)", now->system_id, then->system_id);
  else if (strcmp(then->timeline, now->timeline) != 0)
    snprintf(why, cap, "another timeline (%s, the COMMIT's %s): a standby was promoted", now->timeline, then->timeline);
  else if (strcmp(then->started, now->started) != 0)
    snprintf(why, cap, "the server was restarted (started at %s, the COMMIT's at %s)", now->started, then->started);
  else if (strcmp(then->stats_reset, now->stats_reset) != 0)
    snprintf(why, cap, "the server restarted after a crash (statistics reset at %s, the COMMIT's at %s)",
             now->stats_reset, then->stats_reset);
  else
    return NULL;
  return why;
}
