/* limits.c — the reference figures around the flow benchmark (see
 * limits.h): ping through nginx + FastCGI, pgbench, CPU and RSS. */
#include "bench/limits.h"
#include "bench/http.h"

#include <ctype.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* --- GET /v1/ping at the flows' concurrency -------------------------------- */

struct ping_thread {
  pthread_t tid;
  const char *url, *ca;
  struct hist *h;
  pthread_barrier_t *ready;
  volatile bool *stop;
  unsigned long requests, errors;
};

static void *ping_loop(void *arg)
{
  struct ping_thread *t = arg;
  struct http c;
  bool open_ok = http_open(&c, t->url, t->ca) == 0;
  /* one request to open the connection (TLS handshake) before timing */
  if (open_ok)
    http_request(&c, "GET", "/v1/ping", NULL, NULL, NULL);
  pthread_barrier_wait(t->ready);
  while (open_ok && !*t->stop) {
    long st = http_request(&c, "GET", "/v1/ping", NULL, NULL, t->h);
    if (st == 200 && strstr(c.body, "\"pong\":true"))
      t->requests++;
    else
      t->errors++;
  }
  if (!open_ok)
    t->errors++;
  http_close(&c);
  return NULL;
}

int ping_run(const char *url, const char *ca, int concurrency, double seconds, struct hist *h, struct ping_result *out)
{
  struct ping_thread *t = calloc((size_t)concurrency, sizeof *t);
  pthread_barrier_t ready;
  volatile bool stop = false;

  memset(out, 0, sizeof *out);
  pthread_barrier_init(&ready, NULL, (unsigned)concurrency + 1);
  for (int i = 0; i < concurrency; i++) {
    t[i] = (struct ping_thread){ .url = url, .ca = ca, .h = h, .ready = &ready, .stop = &stop };
    pthread_create(&t[i].tid, NULL, ping_loop, &t[i]);
  }
  pthread_barrier_wait(&ready);
  unsigned long long start = now_us();
  usleep((useconds_t)(seconds * 1e6));
  stop = true;
  for (int i = 0; i < concurrency; i++) {
    pthread_join(t[i].tid, NULL);
    out->requests += t[i].requests;
    out->errors += t[i].errors;
  }
  out->seconds = (double)(now_us() - start) / 1e6;
  out->rps = (double)out->requests / out->seconds;
  pthread_barrier_destroy(&ready);
  free(t);
  return out->errors ? -1 : 0;
}

/* --- PostgreSQL: pgbench ---------------------------------------------------------- */

/* Connects to database db on the cluster of the URI (its dbname overridden). */
static PGconn *connect_to(const char *pg_uri, const char *db)
{
  const char *keys[] = { "dbname", "dbname", "connect_timeout", NULL };
  const char *values[] = { pg_uri, db, "10", NULL };
  PGconn *conn = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn) != CONNECTION_OK) {
    fprintf(stderr, "flows: cannot connect to database %s: %s", db, PQerrorMessage(conn));
    PQfinish(conn);
    return NULL;
  }
  return conn;
}

static bool run_sql(PGconn *conn, const char *sql)
{
  PGresult *res = PQexec(conn, sql); /* fixed text, no parameters */
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
  if (!ok)
    fprintf(stderr, "flows: %s: %s", sql, PQerrorMessage(conn));
  PQclear(res);
  return ok;
}

/* The scratch database and table pgbench inserts into. */
static int prepare_pgbench_db(const char *pg_uri)
{
  PGconn *conn = connect_to(pg_uri, "postgres");
  if (!conn)
    return -1;
  PGresult *res = PQexec(conn, "SELECT 1 FROM pg_database WHERE datname = 'paygw_bench'");
  bool exists = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
  PQclear(res);
  bool ok = exists || run_sql(conn, "CREATE DATABASE paygw_bench");
  PQfinish(conn);
  if (!ok || !(conn = connect_to(pg_uri, "paygw_bench")))
    return -1;
  ok = run_sql(conn, "SET client_min_messages = warning")
       && run_sql(conn, "CREATE TABLE IF NOT EXISTS bench_rows (id bigserial PRIMARY KEY, v bigint NOT NULL, "
                        "at timestamptz NOT NULL DEFAULT now())")
       && run_sql(conn, "TRUNCATE bench_rows");
  PQfinish(conn);
  return ok ? 0 : -1;
}

/* host, port, user and password of the URI, for pgbench's options */
static int uri_parts(const char *pg_uri, char *host, char *port, char *user, char *password, size_t n)
{
  char *err = NULL;
  PQconninfoOption *opts = PQconninfoParse(pg_uri, &err);
  if (!opts) {
    PQfreemem(err);
    return -1;
  }
  host[0] = port[0] = user[0] = password[0] = '\0';
  for (PQconninfoOption *o = opts; o->keyword; o++) {
    if (!o->val)
      continue;
    if (strcmp(o->keyword, "host") == 0)
      snprintf(host, n, "%s", o->val);
    else if (strcmp(o->keyword, "port") == 0)
      snprintf(port, n, "%s", o->val);
    else if (strcmp(o->keyword, "user") == 0)
      snprintf(user, n, "%s", o->val);
    else if (strcmp(o->keyword, "password") == 0)
      snprintf(password, n, "%s", o->val);
  }
  PQconninfoFree(opts);
  return 0;
}

static bool safe_word(const char *s)
{
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("._-/", *s))
      return false;
  return true;
}

int pgbench_run(const char *pg_uri, const char *pgbench, int clients, int seconds, double *tps, char *why,
                size_t why_len)
{
  char host[256], port[32], user[64], password[256], script[] = "/tmp/paygw-pgbench-XXXXXX", cmd[1024], line[512];
  *tps = 0;
  if (prepare_pgbench_db(pg_uri) != 0 || uri_parts(pg_uri, host, port, user, password, sizeof host) != 0) {
    snprintf(why, why_len, "cannot prepare the paygw_bench database");
    return -1;
  }
  if (!safe_word(host) || !safe_word(port) || !safe_word(user) || !safe_word(pgbench)) {
    snprintf(why, why_len, "unexpected characters in the PostgreSQL URI or pgbench path");
    return -1;
  }
  int fd = mkstemp(script);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    snprintf(why, why_len, "cannot write the pgbench script");
    return -1;
  }
  fputs("\\set v random(1, 1000000000)\nINSERT INTO bench_rows (v) VALUES (:v);\n", f);
  fclose(f);
  /* the password goes through the environment, never the command line (none
   * in the URI: libpq reads PGPASSFILE, as scripts/stack sets it up) */
  if (password[0])
    setenv("PGPASSWORD", password, 1);
  snprintf(cmd, sizeof cmd, "%s -n -c %d -j %d -T %d -f %s -h %s -p %s -U %s paygw_bench 2>&1", pgbench, clients,
           clients < 2 ? 1 : 2, seconds, script, host, port, user);
  FILE *p = popen(cmd, "r");
  int rc = -1;
  snprintf(why, why_len, "pgbench printed no tps line");
  while (p && fgets(line, sizeof line, p)) {
    if (strncmp(line, "tps = ", 6) == 0 && strstr(line, "without initial connection time")) {
      *tps = strtod(line + 6, NULL);
      rc = 0;
    } else if (strstr(line, "error") || strstr(line, "FATAL")) {
      snprintf(why, why_len, "pgbench: %s", line);
    }
  }
  if (p && pclose(p) != 0)
    rc = -1;
  unsetenv("PGPASSWORD");
  unlink(script);
  return rc;
}

/* --- resident memory of the stack's processes --------------------------------- */

static long read_pid_file(const char *var_dir, const char *name)
{
  char path[512];
  snprintf(path, sizeof path, "%s/run/%s.pid", var_dir, name);
  FILE *f = fopen(path, "r");
  long pid = -1;
  if (f && fscanf(f, "%ld", &pid) != 1)
    pid = -1;
  if (f)
    fclose(f);
  return pid;
}

/* VmRSS of pid in kB, and its parent's pid; -1 when gone */
static long rss_of(long pid, long *ppid)
{
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%ld/status", pid);
  FILE *f = fopen(path, "r");
  long rss = -1;
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "PPid:", 5) == 0 && ppid)
      *ppid = strtol(line + 5, NULL, 10);
    else if (strncmp(line, "VmRSS:", 6) == 0)
      rss = strtol(line + 6, NULL, 10);
  }
  fclose(f);
  return rss;
}

/* Calls fn for every process in /proc.  Returns 0, or -1 when /proc cannot
 * be read. */
static int each_process(void (*fn)(long pid, void *ctx), void *ctx)
{
  DIR *proc = opendir("/proc");
  struct dirent *d;

  if (!proc)
    return -1;
  while ((d = readdir(proc)))
    if (isdigit((unsigned char)d->d_name[0]))
      fn(strtol(d->d_name, NULL, 10), ctx);
  closedir(proc);
  return 0;
}

struct worker_count {
  long supervisor;
  struct rss_sample *s;
};

/* A gateway worker is a child of multiwatch (the supervisor). */
static void count_worker(long pid, void *ctx)
{
  struct worker_count *w = ctx;
  long ppid = 0, r = rss_of(pid, &ppid);
  if (r >= 0 && ppid == w->supervisor) {
    w->s->workers++;
    w->s->workers_kb += r;
    w->s->worker_pid_sum += pid;
  }
}

int rss_sample(const char *var_dir, struct rss_sample *s)
{
  memset(s, 0, sizeof *s);
  long supervisor = read_pid_file(var_dir, "gateway"), credit = read_pid_file(var_dir, "credit-server");
  if (credit > 0) {
    long r = rss_of(credit, NULL);
    s->credit_kb = r > 0 ? r : 0;
  }
  struct worker_count count = { supervisor, s };
  if (supervisor <= 0 || each_process(count_worker, &count) != 0)
    return -1;
  return s->workers > 0 ? 0 : -1;
}

/* --- CPU time of the stack's processes ------------------------------------------ */

const char *const cpu_part_names[CPU_PARTS] = { "postgres",      "gateway workers", "nginx",
                                                "credit-server", "sweeper",         "bench client" };

/* ppid, and utime + stime in clock ticks from /proc/<pid>/stat; *children
 * gets cutime + cstime: the CPU of the children it has waited for (a
 * PostgreSQL backend that exited, a worker multiwatch restarted).  -1 when
 * gone. */
static long long ticks_of(long pid, long *ppid, long long *children)
{
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *p = strrchr(buf, ')'); /* the command name may hold spaces */
  unsigned long long utime = 0, stime = 0;
  long long cutime = 0, cstime = 0;
  if (!p
      || sscanf(p + 2, "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld", ppid, &utime, &stime, &cutime,
                &cstime)
             != 5)
    return -1;
  *children = cutime + cstime;
  return (long long)(utime + stime);
}

/* The stack's processes by pid file: each root (the postmaster, multiwatch
 * of the workers and of the sweeper, nginx's master, the credit server)
 * with its own time and its exited children's, and its live children. */
struct cpu_parts {
  long root[CPU_CLIENT];
  double tick;
  struct cpu_sample *s;
};

static void add_cpu(long pid, void *ctx)
{
  struct cpu_parts *c = ctx;
  long ppid = 0;
  long long children = 0, t = ticks_of(pid, &ppid, &children);

  if (t < 0)
    return;
  for (int part = 0; part < CPU_CLIENT; part++) {
    if (c->root[part] <= 0)
      continue;
    if (pid == c->root[part])
      t += children;
    else if (ppid != c->root[part])
      continue;
    c->s->seconds[part] += (double)t / c->tick;
    return;
  }
}

int cpu_sample(const char *var_dir, struct cpu_sample *s)
{
  struct cpu_parts c = { .tick = (double)sysconf(_SC_CLK_TCK), .s = s };
  struct rusage self;

  c.root[CPU_POSTGRES] = read_pid_file(var_dir, "postgres");
  c.root[CPU_GATEWAY] = read_pid_file(var_dir, "gateway");
  c.root[CPU_NGINX] = read_pid_file(var_dir, "nginx");
  c.root[CPU_CREDIT] = read_pid_file(var_dir, "credit-server");
  c.root[CPU_SWEEPER] = read_pid_file(var_dir, "sweeper");
  memset(s, 0, sizeof *s);
  getrusage(RUSAGE_SELF, &self);
  s->seconds[CPU_CLIENT] = (double)self.ru_utime.tv_sec + (double)self.ru_utime.tv_usec / 1e6
                           + (double)self.ru_stime.tv_sec + (double)self.ru_stime.tv_usec / 1e6;
  return each_process(add_cpu, &c);
}
