/* limits.h — the machine's limits the flow figure is compared with: the
 * no-work nginx + FastCGI round trip (GET /v1/ping), pgbench with a one-row
 * INSERT transaction on the same PostgreSQL cluster, and the CPU time and
 * resident memory of the stack's processes. */
#ifndef PAYGW_BENCH_LIMITS_H
#define PAYGW_BENCH_LIMITS_H

#include "bench/hist.h"

#include <stddef.h>
#include <stdint.h>

struct ping_result {
  unsigned long requests, errors;
  double seconds, rps;
};

/* C keep-alive connections each sending GET /v1/ping for `seconds`; every
 * answer must be 200 {"pong":true}.  Latencies go to h.  Returns 0 or -1. */
int ping_run(const char *url, const char *ca, int concurrency, double seconds, struct hist *h, struct ping_result *out);

/* pgbench -c clients -T seconds of `INSERT one row` in the database
 * paygw_bench (created on the cluster of pg_uri, a superuser URI).  Fills
 * *tps.  Returns 0 or -1 (why says what failed). */
int pgbench_run(const char *pg_uri, const char *pgbench, int clients, int seconds, double *tps, char *why,
                size_t why_len);

struct rss_sample {
  long workers_kb, credit_kb; /* summed VmRSS */
  int workers;                /* gateway worker processes found */
  long worker_pid_sum;        /* changes when a worker was restarted */
};

/* Samples the stack in var_dir (its run/gateway.pid is multiwatch, whose
 * children are the workers; run/credit-server.pid).  Returns 0 or -1. */
int rss_sample(const char *var_dir, struct rss_sample *s);

/* CPU time (user + system, seconds) the stack's processes and this
 * benchmark have used so far: PostgreSQL (postmaster and its children,
 * the exited ones too), the gateway workers (and multiwatch), nginx
 * (master and workers), the credit server, the sweeper.
 * Differences of two samples tell where a run's time went even on a
 * machine shared with other work. */
/* the bench client comes last: the parts before it are the stack */
enum cpu_part { CPU_POSTGRES, CPU_GATEWAY, CPU_NGINX, CPU_CREDIT, CPU_SWEEPER, CPU_CLIENT, CPU_PARTS };
extern const char *const cpu_part_names[CPU_PARTS];
struct cpu_sample {
  double seconds[CPU_PARTS];
};
int cpu_sample(const char *var_dir, struct cpu_sample *s);

#endif
