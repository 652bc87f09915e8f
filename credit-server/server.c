/* server.c — the listening socket and the connections: one thread per
 * connection, which first completes the TLS handshake (mutual TLS: only an
 * acquirer, or a merchant's POS the issuer takes, with a certificate of the
 * link's CA is served, docs/iso8583.md)
 * within the handshake time-out, then reads frames (blocking work such as a
 * database transaction then holds up only its own connection); a small pool
 * of database connections shared by all (db.c), and a thread of its own for
 * a 0100 that a test control delays, so that the connection keeps serving
 * meanwhile.  SIGTERM: stop accepting, let connections finish the message in
 * hand, exit. */
#include "credit-server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <openssl/crypto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"
#include "credit-server/handler.h"
#include "credit-server/issuer.h"
#include "credit-server/metrics.h"
#include "iso8583/frame.h"
#include "iso8583/tls.h"

static volatile sig_atomic_t stopping;
static long frame_timeout_ms = 5000;
static long idle_timeout_ms = 600000;
static long handshake_timeout_ms = 5000;
static SSL_CTX *tls_ctx;
static atomic_int active_threads;

struct conn {
  int fd;                  /* until the handshake; then the link's */
  struct iso_link *link;   /* NULL until the handshake succeeded */
  pthread_mutex_t io_lock; /* one TLS call at a time: the reader and the writers take turns */
  atomic_int refs;         /* the reader plus each delayed job */
  int id;
  char peer[64];          /* the peer's address, for the log */
  struct credit_peer who; /* from its certificate, after the handshake */
  bool broken;            /* a send failed: the stream is out of step (under io_lock) */
};

struct delayed {
  struct conn *conn;
  struct handler_job job;
};

static void on_signal(int sig)
{
  (void)sig;
  stopping = 1;
}

static void conn_release(struct conn *c)
{
  if (atomic_fetch_sub(&c->refs, 1) == 1) {
    if (c->link)
      iso_link_close(c->link);
    else if (c->fd >= 0)
      close(c->fd);
    pthread_mutex_destroy(&c->io_lock);
    free(c);
  }
}

/* Sends one framed answer; writers on one connection take turns.  A send
 * that failed may have written part of a frame, after which every later
 * frame would be read out of step: the connection is shut down instead (the
 * reader then ends it) and later answers on it are dropped. */
static void conn_send(struct conn *c, const uint8_t *msg, size_t len)
{
  pthread_mutex_lock(&c->io_lock);
  if (!c->broken && iso_link_send(c->link, msg, len, 5000) != ISO_FRAME_OK) {
    c->broken = true;
    shutdown(iso_link_fd(c->link), SHUT_RDWR);
    log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "could not send an answer; closing", "connection", c->id));
  }
  pthread_mutex_unlock(&c->io_lock);
}

static void run_and_answer(struct conn *c, struct handler_job *job)
{
  uint8_t out[ISO8583_MAX_MESSAGE];
  size_t n = 0;

  struct timespec start;

  clock_gettime(CLOCK_MONOTONIC, &start);
  bool answered = handler_run(job, out, sizeof out, &n);
  credit_metrics_processing(job->request.mti, prom_seconds_since(&start));
  if (answered)
    conn_send(c, out, n);
  OPENSSL_cleanse(job, sizeof *job); /* the request held the card number */
}

static void *delayed_main(void *arg)
{
  struct delayed *d = arg;
  struct timespec ts = { d->job.delay_ms / 1000, (d->job.delay_ms % 1000) * 1000000L };

  /* sleep FIRST: a reversal arriving meanwhile is then seen by the decision */
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
  run_and_answer(d->conn, &d->job);
  conn_release(d->conn);
  free(d);
  atomic_fetch_sub(&active_threads, 1);
  return NULL;
}

static bool start_thread(void *(*fn)(void *), void *arg)
{
  pthread_t t;
  pthread_attr_t attr;

  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  atomic_fetch_add(&active_threads, 1);
  int rc = pthread_create(&t, &attr, fn, arg);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    atomic_fetch_sub(&active_threads, 1);
    log_msg(LOG_ERROR, "cannot start a thread: %s", strerror(rc));
    return false;
  }
  return true;
}

/* One complete frame: answer it now, or hand a delayed 0100 to a thread.
 * Returns false when the connection is to be closed. */
static bool handle_frame(struct conn *c, const uint8_t *body, size_t len)
{
  struct handler_job job;
  uint8_t out[ISO8583_MAX_MESSAGE];
  size_t n = 0;

  enum handler_step step = handler_prepare(body, len, &job, out, sizeof out, &n);
  if (step != HANDLER_JOB) {
    OPENSSL_cleanse(&job, sizeof job); /* a malformed 0100 may hold a card number */
    if (step == HANDLER_ANSWER)
      conn_send(c, out, n);
    return step != HANDLER_CLOSE;
  }
  job.peer = c->who;
  if (job.delay_ms > 0) {
    struct delayed *d = malloc(sizeof *d);
    if (d) {
      d->conn = c;
      d->job = job;
      atomic_fetch_add(&c->refs, 1);
      if (start_thread(delayed_main, d)) {
        OPENSSL_cleanse(&job, sizeof job); /* the thread has its own copy */
        return true;
      }
      atomic_fetch_sub(&c->refs, 1);
      OPENSSL_cleanse(d, sizeof *d);
      free(d);
    }
  }
  run_and_answer(c, &job);
  return true;
}

static long now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The TLS handshake, within the handshake time-out: a peer that never
 * completes one holds its own thread and socket that long, and nothing else.
 * Refused peers are logged with OpenSSL's reason (never key material). */
static void conn_handshake(struct conn *c)
{
  enum iso_link_fail fail;
  char why[200];

  c->link = iso_link_accept(tls_ctx, c->fd, (int)handshake_timeout_ms, &fail, why, sizeof why);
  if (!c->link) {
    c->fd = -1; /* closed by iso_link_accept */
    credit_metrics_handshake_failed(fail == ISO_LINK_HANDSHAKE_TIMEOUT ? "timeout"
                                    : fail == ISO_LINK_CLOSED_EARLY    ? "closed_early"
                                                                       : "refused");
    const char *msg = fail == ISO_LINK_HANDSHAKE_TIMEOUT ? "TLS handshake time-out; closing"
                      : fail == ISO_LINK_CLOSED_EARLY    ? "closed before a TLS handshake (a port probe?)"
                                                         : "TLS handshake refused";
    log_event(fail == ISO_LINK_CLOSED_EARLY ? LOG_DEBUG : LOG_INFO,
              json_pack("{s:s, s:i, s:s, s:s}", "msg", msg, "connection", c->id, "peer", c->peer, "reason", why));
    return;
  }
  const char *merchant = iso_link_peer_merchant(c->link);
  if (!merchant) {
    credit_peer_set(&c->who, NULL);
    log_event(LOG_INFO, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "msg", "acquirer connected", "connection", c->id,
                                  "acquirer", iso_link_peer(c->link), "peer", c->peer, "tls", iso_link_version(c->link),
                                  "cipher", iso_link_cipher(c->link)));
    return;
  }
  /* a merchant's POS: its certificate is good, but the issuer must take
   * the merchant it names (issuer.merchants), else nothing is read */
  int taken = issuer_merchant_taken(merchant);
  if (taken != 1) {
    log_event(LOG_INFO,
              json_pack("{s:s, s:i, s:s, s:s}", "msg",
                        taken == 0 ? "a merchant POS certificate for a merchant the issuer does not take; closing"
                                   : "cannot check a merchant POS's merchant (database); closing",
                        "connection", c->id, "merchant_peer", iso_link_peer(c->link), "peer", c->peer));
    iso_link_close(c->link); /* closes the socket too */
    c->link = NULL;
    c->fd = -1;
    return;
  }
  credit_peer_set(&c->who, merchant);
  log_event(LOG_INFO, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "msg", "merchant POS connected", "connection", c->id,
                                "merchant_peer", iso_link_peer(c->link), "peer", c->peer, "tls",
                                iso_link_version(c->link), "cipher", iso_link_cipher(c->link)));
}

/* What has arrived, without waiting (see iso_link_read_some); *partial
 * tells whether part of a TLS record is held, and why[] (-1) why the link
 * is over ("" for a close_notify, an orderly end). */
static long conn_read(struct conn *c, uint8_t *buf, size_t cap, bool *partial, char *why, size_t whylen)
{
  pthread_mutex_lock(&c->io_lock);
  long got = iso_link_read_some(c->link, buf, cap);
  *partial = got >= 0 && iso_link_partial(c->link);
  if (got < 0)
    snprintf(why, whylen, "%s", strstr(iso_link_error(c->link), "close_notify") ? "" : iso_link_error(c->link));
  pthread_mutex_unlock(&c->io_lock);
  return got;
}

static bool conn_pending(struct conn *c)
{
  pthread_mutex_lock(&c->io_lock);
  bool pending = iso_link_pending(c->link);
  pthread_mutex_unlock(&c->io_lock);
  return pending;
}

static void *conn_main(void *arg)
{
  struct conn *c = arg;
  uint8_t buf[2 + ISO8583_MAX_MESSAGE];
  size_t have = 0;
  bool open = true, partial = false;
  long partial_since = 0, last_frame = now_ms();

  conn_handshake(c);
  while (open && c->link && !(stopping && have == 0)) {
    /* decrypted bytes may wait inside TLS, where poll() cannot see them */
    struct pollfd p = { iso_link_fd(c->link), POLLIN, 0 };
    int pr = conn_pending(c) ? 1 : poll(&p, 1, 250);
    /* a connection that sends nothing would hold a thread and a descriptor
     * for ever; an acquirer reconnects when it needs to */
    if (have == 0 && !partial && pr == 0 && now_ms() - last_frame > idle_timeout_ms) {
      log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "idle connection; closing", "connection", c->id));
      break;
    }
    /* a frame (or a TLS record) begun and not finished in time is a
     * truncated message */
    if ((have > 0 || partial) && now_ms() - partial_since > frame_timeout_ms) {
      log_event(LOG_INFO, json_pack("{s:s, s:i, s:i}", "msg", "truncated message (frame not completed); closing",
                                    "connection", c->id, "bytes", (int)have));
      break;
    }
    if (pr <= 0)
      continue;
    if (have == 0 && !partial)
      partial_since = now_ms();
    char why[200];
    long got = conn_read(c, buf + have, sizeof buf - have, &partial, why, sizeof why);
    if (got < 0) {
      if (*why)
        log_event(LOG_INFO,
                  json_pack("{s:s, s:i, s:s}", "msg", "TLS link broken; closing", "connection", c->id, "reason", why));
      break;
    }
    have += (size_t)got;
    for (;;) {
      const uint8_t *body;
      size_t body_len;
      long used = iso_frame_parse(buf, have, &body, &body_len);
      if (used == 0)
        break;
      if (used < 0) {
        log_event(LOG_INFO,
                  json_pack("{s:s, s:i}", "msg", "frame header over the maximum; closing", "connection", c->id));
        open = false;
        break;
      }
      open = handle_frame(c, body, body_len);
      memmove(buf, buf + used, have - (size_t)used);
      have -= (size_t)used;
      partial_since = last_frame = now_ms();
      if (!open)
        break;
    }
  }
  OPENSSL_cleanse(buf, sizeof buf); /* 0100s held card numbers */
  if (c->link)
    shutdown(iso_link_fd(c->link), SHUT_RD);
  conn_release(c);
  atomic_fetch_sub(&active_threads, 1);
  return NULL;
}

static int listen_on(const char *host_port)
{
  char host[256];
  const char *colon = strrchr(host_port, ':');
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
  struct addrinfo *res = NULL;

  if (!colon || (size_t)(colon - host_port) >= sizeof host || colon == host_port) {
    log_msg(LOG_ERROR, "--listen wants HOST:PORT, got '%s'", host_port);
    return -1;
  }
  memcpy(host, host_port, (size_t)(colon - host_port));
  host[colon - host_port] = '\0';
  if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res) {
    log_msg(LOG_ERROR, "cannot resolve '%s'", host_port);
    return -1;
  }
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 128) != 0) {
    log_msg(LOG_ERROR, "cannot listen on %s: %s", host_port, strerror(errno));
    if (fd >= 0)
      close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

/* "host:port" of the peer, for the log. */
static void peer_address(int fd, char *out, size_t cap)
{
  struct sockaddr_storage sa;
  socklen_t len = sizeof sa;
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;

  if (getpeername(fd, (struct sockaddr *)&sa, &len) == 0) {
    if (sa.ss_family == AF_INET) {
      struct sockaddr_in *in = (struct sockaddr_in *)&sa;
      inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
      port = ntohs(in->sin_port);
    } else if (sa.ss_family == AF_INET6) {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa;
      inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
      port = ntohs(in6->sin6_port);
    }
  }
  snprintf(out, cap, "%s:%d", host, port);
}

static void accept_one(int lfd, int *next_id)
{
  int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno == EMFILE || errno == ENFILE) {
      /* out of descriptors: the pending connection keeps the listening
       * socket readable, so poll() would spin; wait for some to close */
      log_event(LOG_WARN, json_pack("{s:s}", "msg", "out of file descriptors; accepting again in 100 ms"));
      usleep(100000);
    }
    return;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct conn *c = calloc(1, sizeof *c);
  if (!c) {
    close(fd);
    return;
  }
  c->fd = fd;
  c->id = ++*next_id;
  peer_address(fd, c->peer, sizeof c->peer);
  atomic_init(&c->refs, 1);
  pthread_mutex_init(&c->io_lock, NULL);
  if (!start_thread(conn_main, c))
    conn_release(c);
}

/* The link's TLS context from the environment (docs/config.md): the
 * server's certificate and key, the CA acquirers' certificates must chain
 * to, and the acquirers served.  There is no plain-TCP mode. */
static SSL_CTX *tls_from_environment(void)
{
  const char *cert = config_str("PAYGW_CREDIT_SERVER_CERT", NULL);
  const char *key = config_str("PAYGW_CREDIT_SERVER_KEY", NULL);
  const char *ca = config_str("PAYGW_CREDIT_CLIENT_CA", NULL);
  const char *acquirers = config_str("PAYGW_CREDIT_ACQUIRERS", "paygw-gateway");
  char why[200];

  if (!cert || !key || !ca) {
    log_msg(LOG_ERROR, "the ISO 8583 link needs PAYGW_CREDIT_SERVER_CERT, PAYGW_CREDIT_SERVER_KEY and "
                       "PAYGW_CREDIT_CLIENT_CA (mutual TLS; docs/iso8583.md)");
    return NULL;
  }
  SSL_CTX *ctx = iso_tls_server_ctx(ca, cert, key, acquirers, why, sizeof why);
  /* merchants' POS certificates (DNS:merchant-<code>) too: token sales */
  if (ctx && iso_tls_server_accept_merchants(ctx) != 0) {
    snprintf(why, sizeof why, "cannot accept merchants' certificates");
    iso_tls_ctx_free(ctx);
    ctx = NULL;
  }
  if (!ctx)
    log_event(LOG_ERROR, json_pack("{s:s, s:s, s:s, s:s}", "msg", "cannot set up TLS for the ISO 8583 link", "reason",
                                   why, "certificate", cert, "ca", ca));
  else
    log_event(LOG_INFO, json_pack("{s:s, s:s, s:s, s:s}", "msg", "mutual TLS", "certificate", cert, "ca", ca,
                                  "acquirers", acquirers));
  return ctx;
}

int server_run(const char *host_port)
{
  frame_timeout_ms = config_long("PAYGW_CREDIT_FRAME_TIMEOUT_MS", 5000, 100, 600000);
  idle_timeout_ms = 1000 * config_long("PAYGW_CREDIT_IDLE_TIMEOUT_S", 600, 1, 86400);
  handshake_timeout_ms = config_long("PAYGW_CREDIT_HANDSHAKE_TIMEOUT_MS", 5000, 100, 60000);
  struct sigaction sa = { .sa_handler = on_signal };
  int next_id = 0;

  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  if (!(tls_ctx = tls_from_environment()))
    return -1;
  int lfd = listen_on(host_port);
  if (lfd < 0) {
    iso_tls_ctx_free(tls_ctx);
    return -1;
  }
  log_event(LOG_INFO, json_pack("{s:s, s:s}", "msg", "listening", "listen", host_port));
  while (!stopping) {
    struct pollfd p = { lfd, POLLIN, 0 };
    if (poll(&p, 1, 250) > 0)
      accept_one(lfd, &next_id);
  }
  close(lfd);
  /* connections finish the message in hand; delayed jobs get up to 10 s */
  for (int i = 0; i < 100 && atomic_load(&active_threads) > 0; i++)
    usleep(100000);
  log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "stopped", "threads_left", atomic_load(&active_threads)));
  if (atomic_load(&active_threads) == 0)
    iso_tls_ctx_free(tls_ctx); /* else a thread may still use it; the process ends anyway */
  return 0;
}
