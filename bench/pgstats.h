/* pgstats.h — what PostgreSQL itself counted during the measured phase:
 * the statements the stack sent (pg_stat_statements, when the cluster
 * loads it: scripts/bench does) and the transactions it committed and
 * rolled back (pg_stat_database).  One monitoring connection, to database
 * `postgres`, serves the whole run, so no backend of ours starts or exits
 * (and lands in the postmaster's CPU) while the flows are measured.
 *
 * "The stack's databases" are every database of the cluster but the
 * templates, `postgres` (ours) and `paygw_bench` (pgbench's): today that is
 * `paygw`, which holds the gateway's schema and the issuer's. */
#ifndef PAYGW_BENCH_PGSTATS_H
#define PAYGW_BENCH_PGSTATS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

struct pgmon {
  PGconn *conn;
  bool statements; /* pg_stat_statements is loaded and usable */
  char why[256];   /* why not, when it is not */
};

/* Connects to database postgres of the cluster of pg_uri (a superuser URI)
 * and, when shared_preload_libraries holds pg_stat_statements, creates the
 * extension there.  Returns 0, or -1 without a connection. */
int pgmon_open(struct pgmon *m, const char *pg_uri);
void pgmon_close(struct pgmon *m);

struct xacts {
  int64_t commits, rollbacks; /* summed over the stack's databases */
  char databases[128];        /* their names, comma-separated */
};

/* pg_stat_database.xact_commit and xact_rollback now.  Returns 0 or -1. */
int pgmon_xacts(struct pgmon *m, struct xacts *x);

/* pg_stat_statements_reset(): what follows is the measured phase. */
int pgmon_statements_reset(struct pgmon *m);

struct stmt {
  double calls, total_ms;
  bool txn_control;          /* BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT */
  char role[64], query[120]; /* the text, white space squeezed, cut */
};

struct stmt_profile {
  struct stmt *rows; /* by calls, most first */
  int n;
  double calls, txn_control_calls, total_ms;
};

/* The stack's databases' statements since the reset.  Returns 0 or -1. */
int pgmon_statements(struct pgmon *m, struct stmt_profile *p);
void stmt_profile_free(struct stmt_profile *p);

/* The report's lines: statements per flow (without and with transaction
 * control), by role, and the `top` statements by calls. */
void stmt_profile_print(const struct stmt_profile *p, double flows, int top);

#endif
