/* pgstats.c — PostgreSQL's own counts of the measured phase (see pgstats.h):
 * statements from pg_stat_statements, transactions from pg_stat_database.
 * Every statement here is fixed text. */
#include "bench/pgstats.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the stack's databases: not ours (postgres), not pgbench's, no template */
#define STACK_DATABASES "NOT d.datistemplate AND d.datname NOT IN ('postgres', 'paygw_bench')"

static PGresult *query(struct pgmon *m, const char *sql, ExecStatusType want)
{
  PGresult *res = PQexec(m->conn, sql);
  if (PQresultStatus(res) != want) {
    snprintf(m->why, sizeof m->why, "%s", PQerrorMessage(m->conn));
    m->why[strcspn(m->why, "\n")] = '\0';
    PQclear(res);
    return NULL;
  }
  return res;
}

static bool run(struct pgmon *m, const char *sql)
{
  PGresult *res = query(m, sql, PGRES_COMMAND_OK);
  PQclear(res);
  return res != NULL;
}

int pgmon_open(struct pgmon *m, const char *pg_uri)
{
  const char *keys[] = { "dbname", "dbname", "connect_timeout", "application_name", NULL };
  const char *values[] = { pg_uri, "postgres", "10", "paygw-bench-monitor", NULL };

  *m = (struct pgmon){ .conn = PQconnectdbParams(keys, values, 1) };
  if (PQstatus(m->conn) != CONNECTION_OK) {
    fprintf(stderr, "flows: cannot connect to database postgres: %s", PQerrorMessage(m->conn));
    PQfinish(m->conn);
    m->conn = NULL;
    return -1;
  }
  PGresult *res = query(m,
                        "SELECT 'pg_stat_statements' = ANY (string_to_array(replace("
                        "current_setting('shared_preload_libraries'), ' ', ''), ','))",
                        PGRES_TUPLES_OK);
  bool loaded = res && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
  PQclear(res);
  if (!loaded) {
    snprintf(m->why, sizeof m->why, "pg_stat_statements is not in shared_preload_libraries (scripts/bench loads it)");
    return 0;
  }
  m->statements =
      run(m, "SET client_min_messages = warning") && run(m, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  return 0;
}

void pgmon_close(struct pgmon *m)
{
  if (m->conn)
    PQfinish(m->conn);
  m->conn = NULL;
}

int pgmon_xacts(struct pgmon *m, struct xacts *x)
{
  memset(x, 0, sizeof *x);
  if (!m->conn)
    return -1;
  PGresult *res = query(m,
                        "SELECT coalesce(sum(s.xact_commit), 0), coalesce(sum(s.xact_rollback), 0), "
                        "coalesce(string_agg(d.datname, ',' ORDER BY d.datname), '') "
                        "FROM pg_stat_database s JOIN pg_database d ON d.oid = s.datid WHERE " STACK_DATABASES,
                        PGRES_TUPLES_OK);
  if (!res)
    return -1;
  x->commits = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
  x->rollbacks = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
  snprintf(x->databases, sizeof x->databases, "%s", PQgetvalue(res, 0, 2));
  PQclear(res);
  return 0;
}

int pgmon_statements_reset(struct pgmon *m)
{
  if (!m->conn || !m->statements)
    return -1;
  PGresult *res = query(m, "SELECT pg_stat_statements_reset()", PGRES_TUPLES_OK);
  PQclear(res);
  return res ? 0 : -1;
}

/* the statement's text on one line, runs of white space as one blank */
static void squeeze(char *dst, size_t n, const char *src)
{
  size_t j = 0;
  bool blank = false;
  for (; *src && j + 1 < n; src++) {
    if (isspace((unsigned char)*src)) {
      blank = j > 0;
      continue;
    }
    if (blank && j + 2 < n)
      dst[j++] = ' ';
    blank = false;
    dst[j++] = *src;
  }
  dst[j] = '\0';
}

int pgmon_statements(struct pgmon *m, struct stmt_profile *p)
{
  memset(p, 0, sizeof *p);
  if (!m->conn || !m->statements)
    return -1;
  PGresult *res = query(m,
                        "SELECT s.calls, s.total_exec_time, coalesce(r.rolname, s.userid::text), "
                        "s.query ~* '^\\s*(begin|start\\s+transaction|commit|end|rollback|abort)\\y', s.query "
                        "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                        "LEFT JOIN pg_roles r ON r.oid = s.userid "
                        "WHERE " STACK_DATABASES " ORDER BY s.calls DESC, s.query",
                        PGRES_TUPLES_OK);
  if (!res)
    return -1;
  p->n = PQntuples(res);
  p->rows = calloc((size_t)p->n + 1, sizeof *p->rows);
  for (int i = 0; i < p->n; i++) {
    struct stmt *s = &p->rows[i];
    s->calls = strtod(PQgetvalue(res, i, 0), NULL);
    s->total_ms = strtod(PQgetvalue(res, i, 1), NULL);
    snprintf(s->role, sizeof s->role, "%s", PQgetvalue(res, i, 2));
    s->txn_control = strcmp(PQgetvalue(res, i, 3), "t") == 0;
    squeeze(s->query, sizeof s->query, PQgetvalue(res, i, 4));
    p->calls += s->calls;
    p->total_ms += s->total_ms;
    if (s->txn_control)
      p->txn_control_calls += s->calls;
  }
  PQclear(res);
  return 0;
}

void stmt_profile_free(struct stmt_profile *p)
{
  free(p->rows);
  p->rows = NULL;
  p->n = 0;
}

/* statements per flow by role, on one line */
static void print_roles(const struct stmt_profile *p, double flows)
{
  char seen[8][64];
  int n = 0;
  printf("  by role:");
  for (int i = 0; i < p->n; i++) {
    bool done = false;
    for (int k = 0; k < n && !done; k++)
      done = strcmp(seen[k], p->rows[i].role) == 0;
    if (done || n == 8)
      continue;
    snprintf(seen[n++], sizeof seen[0], "%s", p->rows[i].role);
    double all = 0, ctl = 0;
    for (int j = i; j < p->n; j++)
      if (strcmp(p->rows[j].role, p->rows[i].role) == 0) {
        all += p->rows[j].calls;
        ctl += p->rows[j].txn_control ? p->rows[j].calls : 0;
      }
    printf("%s %s %.2f (%.2f with BEGIN/COMMIT/ROLLBACK)", n > 1 ? ";" : "", p->rows[i].role, (all - ctl) / flows,
           all / flows);
  }
  printf("\n");
}

void stmt_profile_print(const struct stmt_profile *p, double flows, int top)
{
  if (flows <= 0)
    return;
  printf("statements per flow: %.2f without BEGIN/COMMIT/ROLLBACK, %.2f in all  (pg_stat_statements: %.0f calls, "
         "%.0f of them transaction control, over the measured phase / %.0f flows)\n",
         (p->calls - p->txn_control_calls) / flows, p->calls / flows, p->calls, p->txn_control_calls, flows);
  print_roles(p, flows);
  printf("  statements' own execution time per flow: %.3f ms\n", p->total_ms / flows);
  printf("  top statements by calls (of %d):\n", p->n);
  printf("  %10s %9s  %-14s %s\n", "calls/flow", "mean ms", "role", "statement");
  double rest = p->calls;
  for (int i = 0; i < p->n && i < top; i++) {
    const struct stmt *s = &p->rows[i];
    rest -= s->calls;
    printf("  %10.2f %9.4f  %-14s %.90s\n", s->calls / flows, s->calls > 0 ? s->total_ms / s->calls : 0, s->role,
           s->query);
  }
  if (p->n > top)
    printf("  %10.2f %9s  %-14s (the other %d statements)\n", rest / flows, "", "", p->n - top);
}
