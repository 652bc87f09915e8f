/* fence.c — a new connection's proof that its server is the primary of
 * record, not an old primary that came back.
 *
 * pg_auto_failover's keeper starts a killed PostgreSQL again within
 * seconds, while the monitor may already be promoting the standby; until
 * the monitor demotes it (tens of seconds later) the old primary takes
 * read-write connections — libpq's target_session_attrs=read-write picks
 * it, first in the host list and not in recovery — and its crash recovery
 * replayed commits that never reached the standby.  A read there showed a
 * POS a payment "completed" that the new primary never had, and reversed
 * (tests/ha/failover.t, docs/ha.md).  Such a server cannot get a commit
 * acknowledged: synchronous_standby_names still names a standby that no
 * longer follows it.  So a new connection to a server that expects a
 * synchronous standby first commits a transaction that writes nothing but
 * a logical-decoding message; when no standby has acknowledged it within
 * PAYGW_DB_FENCE_MS, the wait is cancelled, the server is not used and
 * the URI's other hosts are tried, one at a time.
 * A server that expects none (a single cluster; a primary whose standby
 * was lost and that the monitor let go on alone) passes at once.  The
 * fence writes two WAL records, once per connection. */
#include "db/db_internal.h"
#include "common/log.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_LIST_MAX 512
#define KEYWORDS_MAX 64

static bool expects_sync_standby(PGconn *conn)
{
  PGresult *res = PQexec(conn, "SELECT current_setting('synchronous_standby_names') = '' AS alone");
  bool alone = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;

  PQclear(res);
  return !alone;
}

/* Asks the server to cut its wait short: the COMMIT then ends, committed
 * locally, with PostgreSQL's warning. */
static void cancel(PGconn *conn)
{
  PGcancel *c = PQgetCancel(conn);
  char err[256];

  if (c) {
    PQcancel(c, err, sizeof err);
    PQfreeCancel(c);
  }
}

/* COMMIT, answered within wait_ms.  statement_timeout cannot bound it:
 * PostgreSQL stops that timer before it commits and waits for the standby,
 * so the wait is timed here and cut short with a cancel request. */
static bool commit_within(PGconn *conn, long wait_ms)
{
  long long deadline = db_monotonic_ms() + wait_ms;
  bool answered = true, ok = true;
  PGresult *res;

  if (!PQsendQuery(conn, "COMMIT"))
    return false;
  while (answered && PQisBusy(conn)) {
    struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };
    long long left = deadline - db_monotonic_ms();
    if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
      cancel(conn);
      answered = false;
    } else if (!PQconsumeInput(conn)) {
      return false;
    }
  }
  while ((res = PQgetResult(conn)) != NULL) { /* after a cancel: the COMMIT's end, with the warning */
    ok = ok && PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
  }
  return answered && ok;
}

/* An empty commit would not wait for the standby (PostgreSQL waits only
 * when the transaction wrote WAL besides its commit record): the
 * transaction writes one logical-decoding message, which any role may and
 * which changes no table. */
static bool fence_passes(PGconn *conn, long wait_ms)
{
  if (!expects_sync_standby(conn))
    return true;
  PGresult *res = PQexec(conn, "BEGIN; SELECT pg_logical_emit_message(true, 'paygw-fence', '')");
  bool began = PQresultStatus(res) == PGRES_TUPLES_OK;

  PQclear(res);
  return began && commit_within(conn, wait_ms);
}

/* The i-th of a comma-separated list into out ("" past its end). */
static void list_item(const char *list, int i, char *out, size_t cap)
{
  const char *p = list;

  for (; i > 0 && p; i--)
    p = (p = strchr(p, ',')) ? p + 1 : NULL;
  size_t n = p ? strcspn(p, ",") : 0;
  snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), p ? p : "");
}

static int list_length(const char *list)
{
  int n = *list ? 1 : 0;

  for (const char *p = list; *p; p++)
    n += *p == ',';
  return n;
}

static void list_append(char *list, size_t cap, const char *item)
{
  size_t len = strlen(list);

  snprintf(list + len, cap - len, "%s%s", len ? "," : "", item);
}

int db_hosts_without(const char *hosts, const char *ports, const char *host, const char *port, char *hosts_out,
                     char *ports_out, size_t cap)
{
  int n_hosts = list_length(hosts), n_ports = list_length(ports), left = 0;
  char h[256], p[32];

  hosts_out[0] = ports_out[0] = '\0';
  for (int i = 0; i < n_hosts; i++) {
    list_item(hosts, i, h, sizeof h);
    list_item(ports, n_ports == 1 ? 0 : i, p, sizeof p);
    if (strcmp(h, host) == 0 && (p[0] == '\0' || strcmp(p, port) == 0))
      continue;
    list_append(hosts_out, cap, h);
    if (n_ports > 1)
      list_append(ports_out, cap, p);
    left++;
  }
  if (n_ports == 1)
    snprintf(ports_out, cap, "%s", ports);
  return left;
}

/* The URI's settings with host and port replaced by the lists given. */
static PGconn *connect_to(const struct db *db, const char *hosts, const char *ports)
{
  PQconninfoOption *opts = PQconninfoParse(db->uri, NULL);
  const char *keys[KEYWORDS_MAX + 4], *values[KEYWORDS_MAX + 4];
  int n = 0;

  for (PQconninfoOption *o = opts; o && o->keyword && n < KEYWORDS_MAX; o++) {
    if (!o->val || strcmp(o->keyword, "host") == 0 || strcmp(o->keyword, "port") == 0
        || strcmp(o->keyword, "hostaddr") == 0 || strcmp(o->keyword, "application_name") == 0)
      continue;
    keys[n] = o->keyword;
    values[n++] = o->val;
  }
  keys[n] = "host", values[n++] = hosts;
  keys[n] = "port", values[n++] = ports;
  keys[n] = "application_name", values[n++] = db->program;
  keys[n] = NULL, values[n] = NULL;
  PGconn *conn = PQconnectdbParams(keys, values, 0);
  PQconninfoFree(opts);
  return conn;
}

static void uri_hosts(const struct db *db, char *hosts, char *ports, size_t cap)
{
  PQconninfoOption *opts = PQconninfoParse(db->uri, NULL);

  hosts[0] = ports[0] = '\0';
  for (PQconninfoOption *o = opts; o && o->keyword; o++) {
    if (o->val && strcmp(o->keyword, "host") == 0)
      snprintf(hosts, cap, "%s", o->val);
    else if (o->val && strcmp(o->keyword, "port") == 0)
      snprintf(ports, cap, "%s", o->val);
  }
  PQconninfoFree(opts);
}

bool db_fence_connection(struct db *db)
{
  char hosts[HOST_LIST_MAX], ports[HOST_LIST_MAX], left_hosts[HOST_LIST_MAX], left_ports[HOST_LIST_MAX];

  if (fence_passes(db->conn, db->fence_wait_ms))
    return true;
  uri_hosts(db, hosts, ports, sizeof hosts);
  for (;;) {
    log_msg(LOG_WARN,
            "the server at %s:%s takes writes but no synchronous standby acknowledged a commit within %ld ms "
            "(an old primary back after a failover?): not used",
            PQhost(db->conn), PQport(db->conn), db->fence_wait_ms);
    if (db_hosts_without(hosts, ports, PQhost(db->conn), PQport(db->conn), left_hosts, left_ports, sizeof hosts) == 0)
      return false;
    PQfinish(db->conn);
    db->conn = connect_to(db, left_hosts, left_ports);
    if (PQstatus(db->conn) != CONNECTION_OK)
      return false;
    if (fence_passes(db->conn, db->fence_wait_ms))
      return true;
    memcpy(hosts, left_hosts, sizeof hosts);
    memcpy(ports, left_ports, sizeof ports);
  }
}
