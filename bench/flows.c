/* flows.c — bench/flows, the payment-flow benchmark (issue 7): C threads,
 * each a POS and a handset with keep-alive TLS connections through nginx,
 * run complete first-embodiment payments (flow.c) for a fixed time or count
 * and check that every one ended `completed`.  Around the flows it measures
 * the machine's limits (limits.c): GET /v1/ping at the same concurrency,
 * pgbench on the same cluster, the CPU and RSS of the stack's processes;
 * and what PostgreSQL counted (pgstats.c): statements and transactions per
 * flow.  scripts/bench prepares users and a stack and runs it;
 * docs/performance.md reads it. */
#include "bench/flow.h"
#include "bench/limits.h"
#include "bench/pgstats.h"

#include <getopt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct options {
  int concurrency, count, installments, ping_seconds, pgbench_seconds, settle_seconds;
  double duration;
  long amount;
  const char *users_file, *method, *pgbench, *url, *ca, *message_pubkey, *pg_uri, *var_dir, *outcomes_file;
  bool keep_going;
};

/* the statuses the outcome counts name; "none" for a flow that never
 * learnt its transaction, "open" for one whose end the POS never saw */
static const char *const outcome_names[] = { "completed", "declined", "failed", "canceled", "expired", "open", "none" };
enum { OUTCOME_KINDS = sizeof outcome_names / sizeof outcome_names[0] };

/* shared by the flow threads */
struct run {
  struct flow_config cfg;
  const struct options *opt;
  pthread_barrier_t warmed, go;
  volatile bool stop;
  unsigned long started; /* flows begun (atomic), for --count */
  unsigned long completed, ended_otherwise, errors, warmup_failures;
  struct hist flow_latency;
  pthread_mutex_t lock; /* for the counters, reason printing and the outcomes */
  int reasons_printed;
  FILE *outcomes;                             /* --outcomes, or NULL */
  unsigned long outcome_count[OUTCOME_KINDS]; /* every flow, the warm-up's too */
};

struct thread {
  pthread_t tid;
  struct run *run;
  struct flow_worker w;
};

static void usage(FILE *f)
{
  fputs("usage: flows --users FILE [options]\n"
        "  -c, --concurrency N      concurrent flows (default 4; FILE needs N users)\n"
        "  -d, --duration S         measure for S seconds (default 20)\n"
        "  -n, --count N            or: stop after N flows\n"
        "      --method M           payment method (default L); --installments K for I\n"
        "      --amount A           JPY per payment (default 100)\n"
        "      --ping-seconds S     GET /v1/ping phase (default 10, 0 = skip)\n"
        "      --pgbench-seconds S  pgbench phase (default 15, 0 = skip)\n"
        "      --pgbench PATH       (default /usr/lib/postgresql/15/bin/pgbench)\n"
        "      --settle-seconds S   quiet time before reading commit counters (default 11:\n"
        "                           idle backends publish statistics within 10 s)\n"
        "      --keep-going         after an error follow the clients' rules (send again what is\n"
        "                           safe to, else read the outcome; cancel what was abandoned;\n"
        "                           the POS reads until the status is final); exit 0 when every\n"
        "                           flow's end was seen\n"
        "      --outcomes FILE      one line per flow, the warm-up's too: <transaction|-> <last\n"
        "                           status the client saw|none> <unix ms when the flow ended>\n"
        "FILE: one line per user: <user ID> <device ID> <device key PEM file>\n"
        "Environment: PAYGW_URL, PAYGW_CA, PAYGW_MESSAGE_PUBKEY_FILE, PAYGW_PGURI, PAYGW_VAR\n"
        "(from var/stack.env) and PAYGW_BENCH_TERMINAL (a terminal credential).\n",
        f);
}

static const char *need_env(const char *name)
{
  const char *v = getenv(name);
  if (!v || !*v) {
    fprintf(stderr, "flows: %s is not set (source var/stack.env)\n", name);
    exit(2);
  }
  return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
  static const struct option longs[] = {
    { "concurrency", required_argument, NULL, 'c' },
    { "duration", required_argument, NULL, 'd' },
    { "count", required_argument, NULL, 'n' },
    { "users", required_argument, NULL, 'u' },
    { "method", required_argument, NULL, 'm' },
    { "installments", required_argument, NULL, 'i' },
    { "amount", required_argument, NULL, 'a' },
    { "ping-seconds", required_argument, NULL, 'P' },
    { "pgbench-seconds", required_argument, NULL, 'B' },
    { "pgbench", required_argument, NULL, 'b' },
    { "settle-seconds", required_argument, NULL, 'S' },
    { "keep-going", no_argument, NULL, 'K' },
    { "outcomes", required_argument, NULL, 'O' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  *o = (struct options){ .concurrency = 4,
                         .duration = 20,
                         .method = "L",
                         .amount = 100,
                         .ping_seconds = 10,
                         .pgbench_seconds = 15,
                         .settle_seconds = 11,
                         .pgbench = "/usr/lib/postgresql/15/bin/pgbench" };
  int ch;
  while ((ch = getopt_long(argc, argv, "c:d:n:u:h", longs, NULL)) != -1) {
    switch (ch) {
    case 'c':
      o->concurrency = atoi(optarg);
      break;
    case 'd':
      o->duration = atof(optarg);
      break;
    case 'n':
      o->count = atoi(optarg);
      break;
    case 'u':
      o->users_file = optarg;
      break;
    case 'm':
      o->method = optarg;
      break;
    case 'i':
      o->installments = atoi(optarg);
      break;
    case 'a':
      o->amount = atol(optarg);
      break;
    case 'P':
      o->ping_seconds = atoi(optarg);
      break;
    case 'B':
      o->pgbench_seconds = atoi(optarg);
      break;
    case 'b':
      o->pgbench = optarg;
      break;
    case 'S':
      o->settle_seconds = atoi(optarg);
      break;
    case 'K':
      o->keep_going = true;
      break;
    case 'O':
      o->outcomes_file = optarg;
      break;
    case 'h':
      usage(stdout);
      exit(0);
    default:
      usage(stderr);
      exit(2);
    }
  }
  if (!o->users_file || o->concurrency < 1 || o->concurrency > 1024 || o->duration <= 0 || o->count < 0 || o->amount < 1
      || o->ping_seconds < 0 || o->pgbench_seconds < 0 || o->settle_seconds < 0 || optind != argc) {
    usage(stderr);
    exit(2);
  }
  o->url = need_env("PAYGW_URL");
  o->ca = need_env("PAYGW_CA");
  o->message_pubkey = need_env("PAYGW_MESSAGE_PUBKEY_FILE");
  o->pg_uri = need_env("PAYGW_PGURI");
  o->var_dir = need_env("PAYGW_VAR");
}

/* --- inputs ------------------------------------------------------------------ */

static struct bench_user *load_users(const char *path, int need)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "flows: cannot read %s\n", path);
    exit(2);
  }
  struct bench_user *users = calloc((size_t)need, sizeof *users);
  char line[1024], key_path[900];
  int n = 0;
  while (n < need && fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    struct bench_user *u = &users[n];
    unsigned char pub[ED25519_KEY_LEN];
    if (sscanf(line, "%39s %39s %899s", u->user_id, u->device_id, key_path) != 3
        || ed25519_read_private_pem(key_path, u->device_key, pub) != 0) {
      fprintf(stderr, "flows: %s: bad line or unreadable key for user %d\n", path, n + 1);
      exit(2);
    }
    n++;
  }
  fclose(f);
  if (n < need) {
    fprintf(stderr, "flows: %s holds %d users; concurrency %d needs one each\n", path, n, need);
    exit(2);
  }
  return users;
}

static void load_message_key(const char *path, unsigned char key[ED25519_KEY_LEN])
{
  FILE *f = fopen(path, "r");
  EVP_PKEY *pkey = f ? PEM_read_PUBKEY(f, NULL, NULL, NULL) : NULL;
  size_t len = ED25519_KEY_LEN;
  if (f)
    fclose(f);
  if (!pkey || EVP_PKEY_get_raw_public_key(pkey, key, &len) != 1 || len != ED25519_KEY_LEN) {
    fprintf(stderr, "flows: %s is not an Ed25519 public key\n", path);
    exit(2);
  }
  EVP_PKEY_free(pkey);
}

/* --- the flow threads ------------------------------------------------------- */

static void note_failure(struct run *r, const struct flow_worker *w, const char *kind, const char *why)
{
  pthread_mutex_lock(&r->lock);
  if (r->reasons_printed++ < 10)
    fprintf(stderr, "flows: %s (user %s): %s\n", kind, w->user->user_id, why);
  pthread_mutex_unlock(&r->lock);
}

static int64_t unix_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* counts the flow's end by the status its client last saw, and writes its
 * line to --outcomes (flushed: the file is read even if the run is killed) */
static void note_outcome(struct run *r, const struct flow_worker *w)
{
  const char *status = !w->txn[0] ? "none" : flow_status_final(w->status) ? w->status : "open";
  size_t k = 0;
  while (k + 1 < OUTCOME_KINDS && strcmp(outcome_names[k], status) != 0)
    k++;
  pthread_mutex_lock(&r->lock);
  r->outcome_count[k]++;
  if (r->outcomes) {
    fprintf(r->outcomes, "%s %s %lld\n", w->txn[0] ? w->txn : "-", w->status[0] ? w->status : "none",
            (long long)unix_ms());
    fflush(r->outcomes);
  }
  pthread_mutex_unlock(&r->lock);
}

static bool may_start(struct run *r)
{
  if (r->stop)
    return false;
  if (r->opt->count == 0)
    return true;
  return __atomic_add_fetch(&r->started, 1, __ATOMIC_RELAXED) <= (unsigned long)r->opt->count;
}

static void *flow_thread(void *arg)
{
  struct thread *t = arg;
  struct run *r = t->run;
  char why[300];
  unsigned long long latency;

  /* one unmeasured flow opens both connections and clears old mail */
  if (flow_run(&t->w, &latency, why, sizeof why) != FLOW_COMPLETED) {
    note_failure(r, &t->w, "warm-up flow failed", why);
    __atomic_add_fetch(&r->warmup_failures, 1, __ATOMIC_RELAXED);
  }
  note_outcome(r, &t->w);
  pthread_barrier_wait(&r->warmed);
  pthread_barrier_wait(&r->go);
  while (may_start(r)) {
    enum flow_outcome out = flow_run(&t->w, &latency, why, sizeof why);
    note_outcome(r, &t->w);
    if (out == FLOW_COMPLETED) {
      hist_record(&r->flow_latency, latency);
      __atomic_add_fetch(&r->completed, 1, __ATOMIC_RELAXED);
    } else {
      __atomic_add_fetch(out == FLOW_ERROR ? &r->errors : &r->ended_otherwise, 1, __ATOMIC_RELAXED);
      note_failure(r, &t->w, out == FLOW_ERROR ? "flow error" : "flow did not complete", why);
    }
  }
  return NULL;
}

/* --- the report --------------------------------------------------------------- */

static double ms(uint64_t us)
{
  return (double)us / 1000.0;
}

static void print_rss(const char *what, long start, long end, long max)
{
  printf("  %-28s start %7ld kB  end %7ld kB  max %7ld kB  (%+ld kB)\n", what, start, end, max, end - start);
}

/* where the CPU time of a phase went, per unit of work */
static void print_cpu(const char *what, const struct cpu_sample *a, const struct cpu_sample *b, double units)
{
  double total = 0;
  if (units <= 0)
    return;
  printf("%s:", what);
  for (int p = 0; p < CPU_PARTS; p++) {
    double d = b->seconds[p] - a->seconds[p];
    total += d;
    printf(" %s %.3f%s", cpu_part_names[p], d * 1000.0 / units, p + 1 < CPU_PARTS ? "," : "");
  }
  printf("; total %.3f\n", total * 1000.0 / units);
}

/* PostgreSQL's part of the stack's CPU (the stack: every part but the client) */
static void print_postgres_cpu(const struct cpu_sample *a, const struct cpu_sample *b, double flows)
{
  double pg = b->seconds[CPU_POSTGRES] - a->seconds[CPU_POSTGRES], stack = 0, client;
  if (flows <= 0)
    return;
  for (int p = 0; p < CPU_CLIENT; p++)
    stack += b->seconds[p] - a->seconds[p];
  client = b->seconds[CPU_CLIENT] - a->seconds[CPU_CLIENT];
  printf("PostgreSQL CPU ms per flow: %.3f  (%.0f %% of the stack's %.3f ms; %.0f %% of %.3f ms with the bench "
         "client)\n",
         pg * 1000.0 / flows, stack > 0 ? 100.0 * pg / stack : 0, stack * 1000.0 / flows,
         stack + client > 0 ? 100.0 * pg / (stack + client) : 0, (stack + client) * 1000.0 / flows);
}

/* samples RSS about once a second until the flows stop; keeps first/last/max */
struct rss_track {
  struct rss_sample first, last, max;
  int samples;
  bool workers_restarted;
};

static void rss_track_add(struct rss_track *t, const struct rss_sample *s)
{
  if (t->samples == 0)
    t->first = *s;
  else if (s->worker_pid_sum != t->first.worker_pid_sum)
    t->workers_restarted = true;
  t->last = *s;
  if (s->workers_kb > t->max.workers_kb)
    t->max.workers_kb = s->workers_kb;
  if (s->credit_kb > t->max.credit_kb)
    t->max.credit_kb = s->credit_kb;
  t->samples++;
}

int main(int argc, char **argv)
{
  struct options opt;
  parse_options(argc, argv, &opt);
  const char *terminal = need_env("PAYGW_BENCH_TERMINAL");
  struct bench_user *users = load_users(opt.users_file, opt.concurrency);

  static struct run r; /* large (histograms): not on the stack */
  static struct hist hists[EP_COUNT];
  r.opt = &opt;
  r.cfg = (struct flow_config){ .url = opt.url,
                                .ca = opt.ca,
                                .method = opt.method,
                                .installments = opt.installments,
                                .amount = opt.amount,
                                .hist = hists,
                                .keep_going = opt.keep_going };
  if (opt.outcomes_file && !(r.outcomes = fopen(opt.outcomes_file, "w"))) {
    fprintf(stderr, "flows: cannot write %s\n", opt.outcomes_file);
    return 2;
  }
  snprintf(r.cfg.terminal_auth, sizeof r.cfg.terminal_auth, "Authorization: Bearer %s", terminal);
  load_message_key(opt.message_pubkey, r.cfg.message_key);
  pthread_mutex_init(&r.lock, NULL);
  pthread_barrier_init(&r.warmed, NULL, (unsigned)opt.concurrency + 1);
  pthread_barrier_init(&r.go, NULL, (unsigned)opt.concurrency + 1);
  curl_global_init(CURL_GLOBAL_DEFAULT);

  struct thread *threads = calloc((size_t)opt.concurrency, sizeof *threads);
  for (int i = 0; i < opt.concurrency; i++) {
    struct thread *t = &threads[i];
    t->run = &r;
    t->w = (struct flow_worker){ .id = i, .cfg = &r.cfg, .user = &users[i] };
    if (http_open(&t->w.pos, opt.url, opt.ca) != 0 || http_open(&t->w.handset, opt.url, opt.ca) != 0) {
      fprintf(stderr, "flows: libcurl did not start\n");
      return 2;
    }
    pthread_create(&t->tid, NULL, flow_thread, t);
  }
  pthread_barrier_wait(&r.warmed);
  /* the monitoring connection lives through the run: its backend neither
   * starts nor exits while the flows are measured */
  struct pgmon mon;
  if (pgmon_open(&mon, opt.pg_uri) != 0)
    return 2;

  /* the no-work figure, while the flow threads wait; it also lets the
   * gateway's idle backends flush their statistics before we read them */
  struct ping_result ping = { 0 };
  struct cpu_sample cpu_ping[2], cpu_flows[2];
  int ping_rc = 0;
  cpu_sample(opt.var_dir, &cpu_ping[0]);
  if (opt.ping_seconds > 0)
    ping_rc = ping_run(opt.url, opt.ca, opt.concurrency, opt.ping_seconds, &hists[EP_PING], &ping);
  cpu_sample(opt.var_dir, &cpu_ping[1]);
  if (opt.settle_seconds > opt.ping_seconds)
    sleep((unsigned)(opt.settle_seconds - opt.ping_seconds));
  struct xacts xacts_start, xacts_end;
  int xacts_rc = pgmon_xacts(&mon, &xacts_start);
  /* statements are counted as they end, with no delay: from here on */
  bool statements = mon.statements && pgmon_statements_reset(&mon) == 0;

  struct rss_track rss = { 0 };
  struct rss_sample s;
  if (rss_sample(opt.var_dir, &s) == 0)
    rss_track_add(&rss, &s);
  /* every flow thread waits at the barrier: nothing is in flight */
  unsigned long requests_before = 0;
  for (int e = 0; e < EP_PING; e++)
    requests_before += hists[e].count;
  cpu_sample(opt.var_dir, &cpu_flows[0]);
  unsigned long long start = now_us();
  pthread_barrier_wait(&r.go);
  unsigned long last_completed = 0;
  double last_report = 0;
  for (;;) {
    usleep(200000);
    double elapsed = (double)(now_us() - start) / 1e6;
    if (elapsed - last_report >= 10) { /* progress: shows a slow-down during a long run */
      unsigned long c = __atomic_load_n(&r.completed, __ATOMIC_RELAXED);
      fprintf(stderr, "flows: %5.0f s  %lu completed  %.1f flows/s in the last %.0f s\n", elapsed, c,
              (double)(c - last_completed) / (elapsed - last_report), elapsed - last_report);
      last_completed = c;
      last_report = elapsed;
    }
    if (opt.count == 0 && elapsed >= opt.duration)
      break;
    if (opt.count > 0 && r.completed + r.errors + r.ended_otherwise >= (unsigned long)opt.count)
      break;
    if ((int)(elapsed * 5) % 5 == 0 && rss_sample(opt.var_dir, &s) == 0)
      rss_track_add(&rss, &s);
  }
  r.stop = true;
  for (int i = 0; i < opt.concurrency; i++)
    pthread_join(threads[i].tid, NULL);
  double seconds = (double)(now_us() - start) / 1e6;
  cpu_sample(opt.var_dir, &cpu_flows[1]);
  struct stmt_profile profile = { 0 };
  statements = statements && pgmon_statements(&mon, &profile) == 0;
  unsigned long requests = 0;
  for (int e = 0; e < EP_PING; e++)
    requests += hists[e].count;
  requests -= requests_before;
  if (rss_sample(opt.var_dir, &s) == 0)
    rss_track_add(&rss, &s);

  /* pgbench on the same cluster; it also outlasts the statistics delay */
  double tps = 0;
  int pgbench_rc = 0;
  char pg_why[300] = "";
  if (opt.pgbench_seconds > 0)
    pgbench_rc =
        pgbench_run(opt.pg_uri, opt.pgbench, opt.concurrency, opt.pgbench_seconds, &tps, pg_why, sizeof pg_why);
  if (opt.settle_seconds > opt.pgbench_seconds)
    sleep((unsigned)(opt.settle_seconds - opt.pgbench_seconds));
  xacts_rc |= pgmon_xacts(&mon, &xacts_end);

  /* the handsets collect the completion messages of their last payments
   * (after the counters were read: these polls are not the flows' work) */
  unsigned long seen = 0, bad = 0, stale = 0, empty = 0, slow = 0, limited = 0, drain_errors = 0, sent_again = 0;
  char why[300];
  for (int i = 0; i < opt.concurrency; i++) {
    struct flow_worker *w = &threads[i].w;
    if (flow_drain_mailbox(w, why, sizeof why) != 0) {
      drain_errors++;
      fprintf(stderr, "flows: final mailbox poll (user %s): %s\n", w->user->user_id, why);
    }
    seen += w->completions_seen;
    bad += w->completions_bad;
    stale += w->stale_commands;
    empty += w->polls_empty;
    slow += w->slow_downs;
    limited += w->rate_limited;
    sent_again += w->sent_again;
  }

  /* --- figures --- */
  unsigned long done = r.completed + r.ended_otherwise + r.errors;
  unsigned long all_completed = r.completed + (unsigned long)opt.concurrency - r.warmup_failures;
  double flows_s = (double)r.completed / seconds;
  double req_per_flow = done ? (double)requests / (double)done : 0;
  printf("paygw payment-flow benchmark: concurrency %d, %.1f s, method %s, %ld JPY per payment\n", opt.concurrency,
         seconds, opt.method, opt.amount);
  printf("flows: %lu completed, %lu ended otherwise, %lu errors; warm-up failures %lu\n", r.completed,
         r.ended_otherwise, r.errors, r.warmup_failures);
  printf("every flow completed: %s\n", (done == r.completed && r.warmup_failures == 0 && done > 0) ? "yes" : "NO");
  printf("outcomes (every flow, warm-up included, by the status its client last saw):");
  for (int k = 0; k < OUTCOME_KINDS; k++)
    printf(" %s %lu%s", outcome_names[k], r.outcome_count[k], k + 1 < OUTCOME_KINDS ? "," : "\n");
  if (opt.keep_going)
    printf("keep-going: %lu requests sent again after an error\n", sent_again);
  printf("completed flows/s: %.1f\n", flows_s);
  printf("flow latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n", ms(hist_quantile(&r.flow_latency, 0.50)),
         ms(hist_quantile(&r.flow_latency, 0.95)), ms(hist_quantile(&r.flow_latency, 0.99)), ms(r.flow_latency.max_us));
  printf("requests per flow: %.2f  (empty mailbox polls %lu, slow_down answers %lu, rate_limited answers %lu)\n",
         req_per_flow, empty, slow, limited);
  printf("handset completion messages: %lu for %lu completed flows (not completed: %lu, stale commands %lu)\n", seen,
         all_completed, bad, stale);
  printf("per endpoint ms            %8s %8s %8s %8s\n", "count", "p50", "p99", "max");
  for (int e = 0; e < EP_COUNT; e++) {
    const struct hist *h = &hists[e];
    printf("  %-25s %8lu %8.2f %8.2f %8.1f\n", endpoint_names[e], (unsigned long)h->count, ms(hist_quantile(h, 0.5)),
           ms(hist_quantile(h, 0.99)), ms(h->max_us));
  }
  if (opt.ping_seconds > 0)
    printf("ping (GET /v1/ping, %d keep-alive connections, %.1f s): %.1f requests/s, %lu errors\n", opt.concurrency,
           ping.seconds, ping.rps, ping.errors);
  if (opt.pgbench_seconds > 0) {
    if (pgbench_rc == 0)
      printf("pgbench (one-row INSERT, %d clients, %d s): %.1f transactions/s\n", opt.concurrency, opt.pgbench_seconds,
             tps);
    else
      printf("pgbench: failed: %s\n", pg_why);
  }
  if (ping.rps > 0)
    printf("flow_ratio: %.3f  (flows/s x requests per flow / ping requests/s)\n", flows_s * req_per_flow / ping.rps);
  if (statements)
    stmt_profile_print(&profile, (double)done, 12);
  else
    printf("statements per flow: not measured (%s)\n", mon.why);
  if (xacts_rc == 0 && done > 0) {
    int64_t c = xacts_end.commits - xacts_start.commits, rb = xacts_end.rollbacks - xacts_start.rollbacks;
    printf("database commits per flow: %.2f, rollbacks per flow %.2f  (%s: xact_commit +%lld, xact_rollback +%lld "
           "over the measured phase / %lu flows)\n",
           (double)c / (double)done, (double)rb / (double)done, xacts_end.databases, (long long)c, (long long)rb, done);
  }
  print_postgres_cpu(&cpu_flows[0], &cpu_flows[1], (double)done);
  print_cpu("CPU ms per flow", &cpu_flows[0], &cpu_flows[1], (double)done);
  if (opt.ping_seconds > 0)
    print_cpu("CPU ms per ping", &cpu_ping[0], &cpu_ping[1], (double)ping.requests);
  printf("memory (VmRSS, %d samples):\n", rss.samples);
  print_rss("gateway workers (sum)", rss.first.workers_kb, rss.last.workers_kb, rss.max.workers_kb);
  printf("  %-28s %d at start, %d at end%s\n", "gateway worker processes", rss.first.workers, rss.last.workers,
         rss.workers_restarted ? " (a worker was restarted during the run)" : "");
  print_rss("credit-server", rss.first.credit_kb, rss.last.credit_kb, rss.max.credit_kb);

  bool ok = done == r.completed && r.warmup_failures == 0 && done > 0 && seen >= all_completed && bad == 0
            && drain_errors == 0 && ping_rc == 0 && pgbench_rc == 0;
  /* --keep-going: errors are expected; what counts is that every flow's
   * end was seen (a lost mailbox answer may have taken completion messages
   * with it, so those are not counted) and that no answer broke the
   * contract */
  if (opt.keep_going)
    ok =
        done > 0 && r.errors == 0 && r.outcome_count[OUTCOME_KINDS - 1] == 0 && r.outcome_count[OUTCOME_KINDS - 2] == 0;
  if (r.outcomes)
    fclose(r.outcomes);
  for (int i = 0; i < opt.concurrency; i++) {
    http_close(&threads[i].w.pos);
    http_close(&threads[i].w.handset);
  }
  free(threads);
  free(users);
  stmt_profile_free(&profile);
  pgmon_close(&mon);
  curl_global_cleanup();
  return ok ? 0 : 1;
}
