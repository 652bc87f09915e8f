/* metrics.c — see metrics.h.  The table is one struct in a file every
 * process maps MAP_SHARED; its header says which layout and which route
 * table made it.  A process that finds the file missing or made by another
 * build makes a new one under a temporary name, fills its header, and puts
 * it in place with link() (when none is there) or rename() (over a stale
 * one, under flock() on the stale one so two makers do not race), then maps
 * whatever the path names, so every process ends up on the same file.
 * Processes still running an older build keep the file they mapped. */
#include "gateway/metrics.h"
#include "gateway/router.h"
#include "common/config.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ROUTES_MAX 32
#define STATUS_MIN 100
#define STATUS_SLOTS 500 /* 100..599, indexed by status - 100 */

/* Requests no route took (404, 405, or refused before routing) count in a
 * row per method, under endpoint="unmatched". */
static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "other" };
#define N_METHODS (sizeof methods / sizeof methods[0])
#define ROWS (ROUTES_MAX + N_METHODS)

static const char *const outcomes[] = { "completed", "declined", "failed", "canceled", "expired" };
#define N_OUTCOMES (sizeof outcomes / sizeof outcomes[0])

/* The gateway's requests to the credit server (issuer_link.c). */
static const char *const mtis[] = { "0100", "0220", "0221", "0400", "0401", "0600", "other" };
#define N_MTIS (sizeof mtis / sizeof mtis[0])

/* lib/db's kinds (db_error_hook in db.h) */
static const char *const db_kinds[] = { "connect",   "connection_lost", "serialization", "plan_outdated",
                                        "statement", "in_doubt",        "other" };
#define N_DB_KINDS (sizeof db_kinds / sizeof db_kinds[0])

struct metrics_header {
  char magic[8]; /* "paygwmet" */
  uint32_t version;
  uint32_t size;
  uint64_t routes_hash; /* FNV-1a of the route table: what the rows mean */
};

struct metrics_table {
  struct metrics_header h;
  _Atomic uint64_t requests[ROWS][STATUS_SLOTS];
  struct prom_hist durations[ROWS];
  _Atomic uint64_t payments[N_OUTCOMES];
  struct prom_hist issuer_rtt[N_MTIS];
  _Atomic uint64_t issuer_unanswered[N_MTIS];
  _Atomic uint64_t db_errors[N_DB_KINDS];
};

static struct metrics_table *table;
static size_t n_routes;

/* the message out to the credit server (one at a time per process) */
static int issuer_mti = -1;
static struct timespec issuer_sent_at;

static int index_of(const char *word, const char *const *words, size_t n)
{
  for (size_t i = 0; word && i < n; i++)
    if (strcmp(words[i], word) == 0)
      return (int)i;
  return -1;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s;; p++) {
    h = (h ^ *p) * 0x100000001b3ull;
    if (!*p)
      return h;
  }
}

static uint64_t routes_hash(void)
{
  uint64_t h = 0xcbf29ce484222325ull;

  for (const struct route *r = router_routes; r->method; r++)
    h = fnv1a(fnv1a(h, r->method), r->pattern);
  return h;
}

static void header_for_this_build(struct metrics_header *h)
{
  memset(h, 0, sizeof *h);
  memcpy(h->magic, "paygwmet", 8);
  h->version = METRICS_LAYOUT_VERSION;
  h->size = (uint32_t)sizeof(struct metrics_table);
  h->routes_hash = routes_hash();
}

/* True when fd is a whole table with this build's header. */
static bool file_fits(int fd)
{
  struct stat st;
  struct metrics_header want, have;

  header_for_this_build(&want);
  return fstat(fd, &st) == 0 && st.st_size == (off_t)sizeof(struct metrics_table)
         && pread(fd, &have, sizeof have, 0) == (ssize_t)sizeof have && memcmp(&have, &want, sizeof want) == 0;
}

/* A new, zeroed table with this build's header, under a temporary name
 * beside path (returned in tmp); -1 when it cannot be made. */
static int make_fresh(const char *path, char *tmp, size_t cap)
{
  struct metrics_header h;

  snprintf(tmp, cap, "%s.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0)
    return -1;
  header_for_this_build(&h);
  if (fchmod(fd, 0660) != 0 || ftruncate(fd, (off_t)sizeof(struct metrics_table)) != 0
      || pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
    close(fd);
    unlink(tmp);
    return -1;
  }
  close(fd);
  return 0;
}

/* Puts a fresh table at path: beside nothing (link, which fails if another
 * process got there first: theirs is as good), or over the stale file
 * open as stale_fd (rename, under its lock, unless another replaced it).
 * False when no file can be made there (logged). */
static bool replace(const char *path, int stale_fd)
{
  char tmp[4096];
  struct stat now, mine;

  if (stale_fd >= 0) {
    flock(stale_fd, LOCK_EX);
    if (stat(path, &now) != 0 || fstat(stale_fd, &mine) != 0 || now.st_ino != mine.st_ino || now.st_dev != mine.st_dev)
      return true; /* replaced meanwhile: the caller looks again */
  }
  if (make_fresh(path, tmp, sizeof tmp) != 0) {
    log_msg(LOG_ERROR, "metrics: cannot make %s: %s; not counting", path, strerror(errno));
    return false;
  }
  if (stale_fd >= 0) {
    if (rename(tmp, path) != 0)
      unlink(tmp);
    else
      log_msg(LOG_INFO, "metrics: %s was made by another build: made anew", path);
  } else {
    if (link(tmp, path) != 0 && errno != EEXIST)
      log_msg(LOG_ERROR, "metrics: cannot create %s: %s", path, strerror(errno));
    unlink(tmp);
  }
  return true;
}

static struct metrics_table *map_file(const char *path)
{
  for (int attempt = 0; attempt < 8; attempt++) {
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno != ENOENT) {
      log_msg(LOG_ERROR, "metrics: cannot open %s: %s", path, strerror(errno));
      return NULL;
    }
    if (fd >= 0 && file_fits(fd)) {
      void *p = mmap(NULL, sizeof(struct metrics_table), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      close(fd);
      if (p == MAP_FAILED) {
        log_msg(LOG_ERROR, "metrics: cannot map %s: %s", path, strerror(errno));
        return NULL;
      }
      return p;
    }
    bool made = replace(path, fd);
    if (fd >= 0)
      close(fd); /* and its lock */
    if (!made)
      return NULL;
  }
  log_msg(LOG_ERROR, "metrics: %s keeps changing; not counting", path);
  return NULL;
}

int metrics_open_path(const char *path)
{
  metrics_close();
  n_routes = 0;
  for (const struct route *r = router_routes; r->method; r++)
    n_routes++;
  if (n_routes > ROUTES_MAX) {
    LOG_BUG("metrics: %zu routes, room for %d: raise ROUTES_MAX (and METRICS_LAYOUT_VERSION)", n_routes, ROUTES_MAX);
    n_routes = ROUTES_MAX;
  }
  if (!path) {
    void *p = mmap(NULL, sizeof(struct metrics_table), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    table = p == MAP_FAILED ? NULL : p;
  } else
    table = map_file(path);
  return table ? 0 : -1;
}

int metrics_open(void)
{
  return metrics_open_path(config_str("PAYGW_METRICS_FILE", NULL));
}

void metrics_close(void)
{
  if (table)
    munmap(table, sizeof *table);
  table = NULL;
}

static size_t row_of(const struct request *rq)
{
  if (rq->route) {
    size_t i = (size_t)(rq->route - router_routes);
    if (i < n_routes)
      return i;
  }
  int m = index_of(rq->method, methods, N_METHODS - 1);
  return ROUTES_MAX + (size_t)(m < 0 ? (int)N_METHODS - 1 : m);
}

void metrics_request_done(const struct request *rq)
{
  if (!table)
    return;
  size_t row = row_of(rq);
  int status = rq->status >= STATUS_MIN && rq->status < STATUS_MIN + STATUS_SLOTS ? rq->status : 500;
  atomic_fetch_add_explicit(&table->requests[row][status - STATUS_MIN], 1, memory_order_relaxed);
  prom_hist_observe(&table->durations[row], prom_seconds_since(&rq->started));
}

void metrics_payments(const char *outcome, long n)
{
  int i = index_of(outcome, outcomes, N_OUTCOMES);

  if (table && i >= 0 && n > 0)
    atomic_fetch_add_explicit(&table->payments[i], (uint64_t)n, memory_order_relaxed);
}

void metrics_payment(const char *outcome)
{
  metrics_payments(outcome, 1);
}

void metrics_issuer_sent(const char *mti)
{
  int i = index_of(mti, mtis, N_MTIS - 1);

  issuer_mti = i < 0 ? (int)N_MTIS - 1 : i;
  clock_gettime(CLOCK_MONOTONIC, &issuer_sent_at);
}

void metrics_issuer_done(bool answered)
{
  if (!table || issuer_mti < 0)
    return;
  if (answered)
    prom_hist_observe(&table->issuer_rtt[issuer_mti], prom_seconds_since(&issuer_sent_at));
  else
    atomic_fetch_add_explicit(&table->issuer_unanswered[issuer_mti], 1, memory_order_relaxed);
  issuer_mti = -1;
}

void metrics_db_error(const char *kind)
{
  int i = index_of(kind, db_kinds, N_DB_KINDS - 1);

  if (table)
    atomic_fetch_add_explicit(&table->db_errors[i < 0 ? (int)N_DB_KINDS - 1 : i], 1, memory_order_relaxed);
}

bool metrics_token_ok(const char *authorization)
{
  const char *token = config_str("PAYGW_METRICS_TOKEN", NULL);
  unsigned char want[SHA256_DIGEST_LENGTH], got[SHA256_DIGEST_LENGTH];

  if (!token || !*token)
    return true;
  if (!authorization || strncmp(authorization, "Bearer ", 7) != 0)
    return false;
  /* digests compared, so the time taken tells nothing of the token's length */
  SHA256((const unsigned char *)token, strlen(token), want);
  SHA256((const unsigned char *)authorization + 7, strlen(authorization + 7), got);
  return CRYPTO_memcmp(want, got, sizeof want) == 0;
}

/* --- the text ------------------------------------------------------------ */

static const char *endpoint_of(size_t row, const char **method)
{
  if (row < n_routes) {
    *method = router_routes[row].method;
    return router_routes[row].pattern;
  }
  *method = methods[row - ROUTES_MAX];
  return "unmatched";
}

static bool row_used(size_t row)
{
  return row < n_routes || row >= ROUTES_MAX;
}

static bool hist_empty(const struct prom_hist *h)
{
  for (int b = 0; b <= PROM_BOUNDS; b++)
    if (atomic_load_explicit(&h->bucket[b], memory_order_relaxed) > 0)
      return false;
  return true;
}

static void render_requests(struct prom_text *t)
{
  char labels[512], status[8];
  const char *method;

  prom_header(t, "paygw_http_requests_total", "counter",
              "Requests answered by the gateway, by endpoint (route pattern), method and status.");
  for (size_t row = 0; row < ROWS; row++)
    for (int s = 0; row_used(row) && s < STATUS_SLOTS; s++) {
      uint64_t n = atomic_load_explicit(&table->requests[row][s], memory_order_relaxed);
      if (n == 0)
        continue;
      const char *endpoint = endpoint_of(row, &method);
      snprintf(status, sizeof status, "%d", s + STATUS_MIN);
      labels[0] = '\0';
      prom_label(labels, sizeof labels, "endpoint", endpoint);
      prom_label(labels, sizeof labels, "method", method);
      prom_label(labels, sizeof labels, "status", status);
      prom_sample(t, "paygw_http_requests_total", labels, n);
    }
  prom_header(t, "paygw_http_request_duration_seconds", "histogram",
              "Time from the request read to its answer written, by endpoint and method.");
  for (size_t row = 0; row < ROWS; row++) {
    if (!row_used(row) || hist_empty(&table->durations[row]))
      continue;
    const char *endpoint = endpoint_of(row, &method);
    labels[0] = '\0';
    prom_label(labels, sizeof labels, "endpoint", endpoint);
    prom_label(labels, sizeof labels, "method", method);
    prom_histogram(t, "paygw_http_request_duration_seconds", labels, &table->durations[row]);
  }
}

static void render_counts(struct prom_text *t)
{
  char labels[128];

  prom_header(t, "paygw_payments_total", "counter",
              "Payments that reached an end in a gateway worker or the sweeper, by outcome (docs/metrics.md).");
  for (size_t i = 0; i < N_OUTCOMES; i++) {
    labels[0] = '\0';
    prom_label(labels, sizeof labels, "outcome", outcomes[i]);
    prom_sample(t, "paygw_payments_total", labels, atomic_load(&table->payments[i]));
  }
  prom_header(t, "paygw_issuer_round_trip_seconds", "histogram",
              "Time from an ISO 8583 message sent to the credit server to its answer, by the request's MTI.");
  for (size_t i = 0; i < N_MTIS; i++) {
    labels[0] = '\0';
    prom_label(labels, sizeof labels, "mti", mtis[i]);
    prom_histogram(t, "paygw_issuer_round_trip_seconds", labels, &table->issuer_rtt[i]);
  }
  prom_header(t, "paygw_issuer_unanswered_total", "counter",
              "ISO 8583 messages to the credit server that got no answer (time-out, link lost), by MTI.");
  for (size_t i = 0; i < N_MTIS; i++) {
    labels[0] = '\0';
    prom_label(labels, sizeof labels, "mti", mtis[i]);
    prom_sample(t, "paygw_issuer_unanswered_total", labels, atomic_load(&table->issuer_unanswered[i]));
  }
  prom_header(t, "paygw_db_errors_total", "counter", "Database errors met by the gateway's processes, by kind.");
  for (size_t i = 0; i < N_DB_KINDS; i++) {
    labels[0] = '\0';
    prom_label(labels, sizeof labels, "kind", db_kinds[i]);
    prom_sample(t, "paygw_db_errors_total", labels, atomic_load(&table->db_errors[i]));
  }
}

static void render_gauges(struct prom_text *t, const struct metrics_gauges *g)
{
  prom_header(t, "paygw_metrics_database_up", "gauge",
              "1 when this scrape read the pending counts from the database, else 0 (and they are left out).");
  prom_sample(t, "paygw_metrics_database_up", "", g ? 1 : 0);
  if (!g)
    return;
  prom_header(t, "paygw_authorizations_pending", "gauge",
              "Authorizations (0100) sent to the credit server with no answer recorded yet.");
  prom_sample(t, "paygw_authorizations_pending", "", (uint64_t)g->authorizations_pending);
  prom_header(t, "paygw_reversals_pending", "gauge",
              "Authorizations whose reversal (0400/0401) is not yet acknowledged.");
  prom_sample(t, "paygw_reversals_pending", "", (uint64_t)g->reversals_pending);
  prom_header(t, "paygw_refunds_pending", "gauge", "Refunds and voids not yet answered by the credit server.");
  prom_sample(t, "paygw_refunds_pending", "", (uint64_t)g->refunds_pending);
  prom_header(t, "paygw_webhook_queue_depth", "gauge", "Webhook events waiting to be delivered to the shops.");
  prom_sample(t, "paygw_webhook_queue_depth", "", (uint64_t)g->webhooks_pending);
  prom_header(t, "paygw_webhook_oldest_age_seconds", "gauge",
              "Age of the oldest webhook event waiting to be delivered (0 when none waits).");
  prom_sample_double(t, "paygw_webhook_oldest_age_seconds", "", (double)g->webhook_oldest_ms / 1000.0);
}

void metrics_render(struct prom_text *t, const struct metrics_gauges *gauges)
{
  if (table) {
    render_requests(t);
    render_counts(t);
  }
  render_gauges(t, gauges);
}
