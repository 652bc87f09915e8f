/* server.c — the listening socket and the connections: one thread per
 * connection reading frames (blocking work such as a database transaction
 * then holds up only its own connection), a small pool of database
 * connections shared by all (db.c), and a thread of its own for a 0100 that
 * a test control delays, so that the connection keeps serving meanwhile.
 * SIGTERM: stop accepting, let connections finish the message in hand, exit. */
#include "credit-server/server.h"

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
#include "iso8583/frame.h"

static volatile sig_atomic_t stopping;
static long frame_timeout_ms = 5000;
static long idle_timeout_ms = 600000;
static atomic_int active_threads;

struct conn {
  int fd;
  pthread_mutex_t write_lock;
  atomic_int refs;             /* the reader plus each delayed job */
  int id;
  bool broken;                 /* a send failed: the stream is out of step (under write_lock) */
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
    close(c->fd);
    pthread_mutex_destroy(&c->write_lock);
    free(c);
  }
}

/* Sends one framed answer; writers on one connection take turns.  A send
 * that failed may have written part of a frame, after which every later
 * frame would be read out of step: the connection is shut down instead (the
 * reader then ends it) and later answers on it are dropped. */
static void conn_send(struct conn *c, const uint8_t *msg, size_t len)
{
  pthread_mutex_lock(&c->write_lock);
  if (!c->broken && iso_frame_send(c->fd, msg, len, 5000) != ISO_FRAME_OK) {
    c->broken = true;
    shutdown(c->fd, SHUT_RDWR);
    log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "could not send an answer; closing", "connection", c->id));
  }
  pthread_mutex_unlock(&c->write_lock);
}

static void run_and_answer(struct conn *c, struct handler_job *job)
{
  uint8_t out[ISO8583_MAX_MESSAGE];
  size_t n = 0;

  if (handler_run(job, out, sizeof out, &n))
    conn_send(c, out, n);
  OPENSSL_cleanse(job, sizeof *job);     /* the request held the card number */
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
    OPENSSL_cleanse(&job, sizeof job);   /* a malformed 0100 may hold a card number */
    if (step == HANDLER_ANSWER)
      conn_send(c, out, n);
    return step != HANDLER_CLOSE;
  }
  if (job.delay_ms > 0) {
    struct delayed *d = malloc(sizeof *d);
    if (d) {
      d->conn = c;
      d->job = job;
      atomic_fetch_add(&c->refs, 1);
      if (start_thread(delayed_main, d)) {
        OPENSSL_cleanse(&job, sizeof job);   /* the thread has its own copy */
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

static void *conn_main(void *arg)
{
  struct conn *c = arg;
  uint8_t buf[2 + ISO8583_MAX_MESSAGE];
  size_t have = 0;
  bool open = true;
  long partial_since = 0, last_frame = now_ms();

  while (open && !(stopping && have == 0)) {
    struct pollfd p = { c->fd, POLLIN, 0 };
    int pr = poll(&p, 1, 250);
    /* a connection that sends nothing would hold a thread and a descriptor
     * for ever; an acquirer reconnects when it needs to */
    if (have == 0 && pr == 0 && now_ms() - last_frame > idle_timeout_ms) {
      log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "idle connection; closing", "connection", c->id));
      break;
    }
    /* a frame begun and not finished in time is a truncated message */
    if (have > 0 && now_ms() - partial_since > frame_timeout_ms) {
      log_event(LOG_INFO, json_pack("{s:s, s:i, s:i}", "msg", "truncated message (frame not completed); closing",
                                    "connection", c->id, "bytes", (int)have));
      break;
    }
    if (pr <= 0)
      continue;
    if (have == 0)
      partial_since = now_ms();
    ssize_t got = read(c->fd, buf + have, sizeof buf - have);
    if (got <= 0)
      break;
    have += (size_t)got;
    for (;;) {
      const uint8_t *body;
      size_t body_len;
      long used = iso_frame_parse(buf, have, &body, &body_len);
      if (used == 0)
        break;
      if (used < 0) {
        log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "frame header over the maximum; closing",
                                      "connection", c->id));
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
  OPENSSL_cleanse(buf, sizeof buf);     /* 0100s held card numbers */
  shutdown(c->fd, SHUT_RD);
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
  atomic_init(&c->refs, 1);
  pthread_mutex_init(&c->write_lock, NULL);
  if (!start_thread(conn_main, c))
    conn_release(c);
}

int server_run(const char *host_port)
{
  frame_timeout_ms = config_long("PAYGW_CREDIT_FRAME_TIMEOUT_MS", 5000, 100, 600000);
  idle_timeout_ms = 1000 * config_long("PAYGW_CREDIT_IDLE_TIMEOUT_S", 600, 1, 86400);
  struct sigaction sa = { .sa_handler = on_signal };
  int next_id = 0;

  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  int lfd = listen_on(host_port);
  if (lfd < 0)
    return -1;
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
  return 0;
}
