/* metrics.c — see metrics.h.  Fixed tables indexed by MTI and response
 * code, so a connection thread's count is one atomic add and the scrape
 * (libmicrohttpd's own thread) reads them without a lock. */
#include "credit-server/metrics.h"
#include "common/config.h"
#include "common/log.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* What the credit server is sent (handler.c), and "other". */
static const char *const mtis[] = { "0100", "0220", "0221", "0400", "0401", "0600", "0800", "other" };
#define N_MTIS (sizeof mtis / sizeof mtis[0])

/* The codes it answers (lib/iso8583's ISO_RC_*), and "other". */
static const char *const codes[] = { "00", "03", "05", "13", "14", "25", "30", "51",
                                     "54", "57", "58", "63", "91", "94", "96", "other" };
#define N_CODES (sizeof codes / sizeof codes[0])

static const char *const handshake_reasons[] = { "refused", "timeout", "closed_early" };
#define N_REASONS (sizeof handshake_reasons / sizeof handshake_reasons[0])

static struct {
  _Atomic uint64_t messages[N_MTIS][N_CODES];
  _Atomic uint64_t approved, declined, duplicates;
  _Atomic uint64_t handshakes_failed[N_REASONS];
  struct prom_hist processing[N_MTIS];
} counts;

static struct MHD_Daemon *daemon_;

static size_t index_of(const char *word, const char *const *words, size_t n)
{
  for (size_t i = 0; word && i + 1 < n; i++)
    if (strcmp(words[i], word) == 0)
      return i;
  return n - 1; /* "other" */
}

void credit_metrics_answer(const char *mti, const char *response_code)
{
  size_t m = index_of(mti, mtis, N_MTIS);

  atomic_fetch_add_explicit(&counts.messages[m][index_of(response_code, codes, N_CODES)], 1, memory_order_relaxed);
  if (m == 0) /* 0100 */
    atomic_fetch_add_explicit(strcmp(response_code, "00") == 0 ? &counts.approved : &counts.declined, 1,
                              memory_order_relaxed);
}

void credit_metrics_duplicate(void)
{
  atomic_fetch_add_explicit(&counts.duplicates, 1, memory_order_relaxed);
}

void credit_metrics_handshake_failed(const char *reason)
{
  for (size_t i = 0; i < N_REASONS; i++)
    if (strcmp(handshake_reasons[i], reason) == 0)
      atomic_fetch_add_explicit(&counts.handshakes_failed[i], 1, memory_order_relaxed);
}

void credit_metrics_processing(const char *mti, double seconds)
{
  prom_hist_observe(&counts.processing[index_of(mti, mtis, N_MTIS)], seconds);
}

void credit_metrics_render(struct prom_text *t)
{
  char labels[96];

  prom_header(t, "paygw_credit_messages_total", "counter",
              "ISO 8583 messages the credit server answered, by request MTI and response code (field 39).");
  for (size_t m = 0; m < N_MTIS; m++)
    for (size_t c = 0; c < N_CODES; c++) {
      uint64_t n = atomic_load(&counts.messages[m][c]);
      if (n == 0)
        continue;
      labels[0] = '\0';
      prom_label(labels, sizeof labels, "mti", mtis[m]);
      prom_label(labels, sizeof labels, "response_code", codes[c]);
      prom_sample(t, "paygw_credit_messages_total", labels, n);
    }
  prom_header(t, "paygw_credit_authorizations_total", "counter",
              "Authorizations (0100) answered: approved (00) or declined (any other code).");
  prom_sample(t, "paygw_credit_authorizations_total", "outcome=\"approved\"", atomic_load(&counts.approved));
  prom_sample(t, "paygw_credit_authorizations_total", "outcome=\"declined\"", atomic_load(&counts.declined));
  prom_header(t, "paygw_credit_duplicates_total", "counter",
              "Authorizations that met an earlier one under the same key (STAN, terminal, transmission time).");
  prom_sample(t, "paygw_credit_duplicates_total", "", atomic_load(&counts.duplicates));
  prom_header(t, "paygw_credit_tls_handshake_failures_total", "counter",
              "Connections whose TLS handshake did not complete, by reason.");
  for (size_t i = 0; i < N_REASONS; i++) {
    labels[0] = '\0';
    prom_label(labels, sizeof labels, "reason", handshake_reasons[i]);
    prom_sample(t, "paygw_credit_tls_handshake_failures_total", labels, atomic_load(&counts.handshakes_failed[i]));
  }
  prom_header(t, "paygw_credit_processing_seconds", "histogram",
              "Time from a message's frame read to its answer built (the database included), by request MTI.");
  for (size_t m = 0; m < N_MTIS; m++) {
    labels[0] = '\0';
    prom_label(labels, sizeof labels, "mti", mtis[m]);
    prom_histogram(t, "paygw_credit_processing_seconds", labels, &counts.processing[m]);
  }
}

/* Queues text (copied by libmicrohttpd) as the answer. */
static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type, const char *text)
{
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_MUST_COPY);
  if (!r)
    return MHD_NO;
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  enum MHD_Result ok = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **state)
{
  struct prom_text t = { 0 };

  (void)cls, (void)version, (void)upload, (void)state;
  if (*upload_size)
    return MHD_NO; /* no body is read */
  if (strcmp(url, "/metrics") != 0)
    return answer(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found: try /metrics\n");
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
    return answer(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "GET only\n");
  credit_metrics_render(&t);
  if (t.failed || !t.text)
    return answer(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", "out of memory\n");
  enum MHD_Result ok = answer(c, MHD_HTTP_OK, PROM_CONTENT_TYPE, t.text);
  prom_text_free(&t);
  return ok;
}

int credit_metrics_start(void)
{
  const char *addr = config_str("PAYGW_CREDIT_METRICS_ADDR", NULL);
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
  struct addrinfo *res = NULL;
  char host[256];

  if (!addr || !*addr)
    return 0;
  const char *colon = strrchr(addr, ':');
  if (!colon || colon == addr || (size_t)(colon - addr) >= sizeof host) {
    log_msg(LOG_ERROR, "PAYGW_CREDIT_METRICS_ADDR wants HOST:PORT, got '%s': no metrics", addr);
    return -1;
  }
  snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
  if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res) {
    log_msg(LOG_ERROR, "cannot resolve PAYGW_CREDIT_METRICS_ADDR '%s': no metrics", addr);
    return -1;
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
  if (res->ai_family == AF_INET6)
    flags |= MHD_USE_IPv6;
  daemon_ = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, res->ai_addr,
                             MHD_OPTION_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
  freeaddrinfo(res);
  if (!daemon_) {
    log_msg(LOG_ERROR, "cannot serve metrics on %s (in use?): serving ISO 8583 without them", addr);
    return -1;
  }
  log_event(LOG_INFO, json_pack("{s:s, s:s}", "msg", "metrics", "listen", addr));
  return 0;
}

void credit_metrics_stop(void)
{
  if (daemon_)
    MHD_stop_daemon(daemon_);
  daemon_ = NULL;
}
