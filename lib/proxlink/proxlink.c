/* proxlink.c — the proximity link's line protocol and its sockets (see
 * proxlink.h and docs/proximity-link.md).  Parsing is pure so the unit tests
 * cover it without sockets; the socket code keeps every wait bounded. */
#include "proxlink/proxlink.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_PREFIX "PAYGW-LINK "
#define PER_CONNECTION_MS 5000 /* a connected peer must send its line within this */

bool proxlink_user_id_ok(const char *s)
{
  size_t n = 0;

  if (!s)
    return false;
  for (; s[n]; n++) {
    char c = s[n];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  }
  return n >= 1 && n <= PROXLINK_USER_MAX;
}

int proxlink_parse_addr(const char *text, struct proxlink_addr *out, char *err, size_t errlen)
{
  memset(out, 0, sizeof *out);
  if (!text || !*text) {
    snprintf(err, errlen, "empty proximity-link address");
    return -1;
  }
  if (strchr(text, '/')) {
    if (strlen(text) >= sizeof out->path) {
      snprintf(err, errlen, "Unix socket path is too long (at most %zu bytes)", sizeof out->path - 1);
      return -1;
    }
    out->is_unix = true;
    snprintf(out->path, sizeof out->path, "%s", text);
    return 0;
  }
  const char *colon = strrchr(text, ':');
  if (!colon || colon == text || (size_t)(colon - text) >= sizeof out->host) {
    snprintf(err, errlen, "proximity-link address must be HOST:PORT or a socket path, got '%.64s'", text);
    return -1;
  }
  const char *port = colon + 1;
  size_t plen = strlen(port);
  long value = 0;
  for (size_t i = 0; i < plen; i++) {
    if (port[i] < '0' || port[i] > '9' || i >= 5) {
      value = -1;
      break;
    }
    value = value * 10 + (port[i] - '0');
  }
  if (plen == 0 || value < 1 || value > 65535) {
    snprintf(err, errlen, "proximity-link port must be 1-65535, got '%.16s'", port);
    return -1;
  }
  memcpy(out->host, text, (size_t)(colon - text));
  snprintf(out->port, sizeof out->port, "%ld", value);
  return 0;
}

int proxlink_format_request(const char *user_id, char *buf, size_t len)
{
  if (!proxlink_user_id_ok(user_id))
    return -1;
  int n = snprintf(buf, len, REQUEST_PREFIX "%d USER %s\n", PROXLINK_VERSION, user_id);
  return n > 0 && (size_t)n < len ? 0 : -1;
}

int proxlink_parse_request(const char *line, char user_id[PROXLINK_USER_MAX + 1], const char **reason)
{
  char copy[PROXLINK_LINE_MAX + 2];
  size_t n = strlen(line);

  *reason = "malformed";
  if (n > PROXLINK_LINE_MAX)
    return -1;
  memcpy(copy, line, n + 1);
  if (n > 0 && copy[n - 1] == '\n')
    copy[--n] = '\0';
  if (n > 0 && copy[n - 1] == '\r') /* tolerate a CRLF from a hand-typed test */
    copy[--n] = '\0';
  if (strncmp(copy, REQUEST_PREFIX, strlen(REQUEST_PREFIX)) != 0)
    return -1;
  const char *p = copy + strlen(REQUEST_PREFIX);
  const char *sp = strchr(p, ' ');
  if (!sp || sp == p)
    return -1;
  if ((size_t)(sp - p) != 1 || *p != '0' + PROXLINK_VERSION) {
    *reason = "unsupported version";
    return -1;
  }
  p = sp + 1;
  if (strncmp(p, "USER ", 5) != 0)
    return -1;
  p += 5;
  if (!proxlink_user_id_ok(p)) {
    *reason = "bad user id";
    return -1;
  }
  snprintf(user_id, PROXLINK_USER_MAX + 1, "%s", p);
  *reason = NULL;
  return 0;
}

int proxlink_parse_reply(const char *line, char *reason, size_t len)
{
  size_t n = strcspn(line, "\r\n");

  if (n == 2 && strncmp(line, "OK", 2) == 0)
    return 0;
  if (n > 4 && strncmp(line, "ERR ", 4) == 0)
    snprintf(reason, len, "%.*s", (int)(n - 4), line + 4);
  else
    snprintf(reason, len, "malformed answer");
  return -1;
}

static long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Resolves addr for TCP; the caller frees *res. */
static int resolve(const struct proxlink_addr *addr, bool passive, struct addrinfo **res, char *err, size_t errlen)
{
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = passive ? AI_PASSIVE : 0 };
  int rc = getaddrinfo(addr->host, addr->port, &hints, res);
  if (rc != 0) {
    snprintf(err, errlen, "cannot resolve %s: %s", addr->host, gai_strerror(rc));
    return -1;
  }
  return 0;
}

static int unix_sockaddr(const struct proxlink_addr *addr, struct sockaddr_un *sun)
{
  memset(sun, 0, sizeof *sun);
  sun->sun_family = AF_UNIX;
  snprintf(sun->sun_path, sizeof sun->sun_path, "%s", addr->path);
  return 0;
}

/* An existing file at a Unix socket path: refuses anything but a stale
 * socket (no listener: ECONNREFUSED), which it removes.  A socket that
 * accepts a connection belongs to a live POS.  Returns 0 or -1 with err. */
static int clear_stale_socket(const struct proxlink_addr *addr, const struct sockaddr_un *sun, char *err, size_t errlen)
{
  struct stat st;

  if (lstat(addr->path, &st) != 0)
    return 0; /* nothing there */
  if (!S_ISSOCK(st.st_mode)) {
    snprintf(err, errlen, "%s exists and is not a socket", addr->path);
    return -1;
  }
  int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) {
    snprintf(err, errlen, "cannot check %s: %s", addr->path, strerror(errno));
    return -1;
  }
  int rc = connect(probe, (const struct sockaddr *)sun, sizeof *sun);
  int why = errno;
  close(probe);
  if (rc == 0) {
    snprintf(err, errlen, "link address busy: a POS is already listening on %s", addr->path);
    return -1;
  }
  if (why != ECONNREFUSED) {
    snprintf(err, errlen, "cannot check %s: %s", addr->path, strerror(why));
    return -1;
  }
  unlink(addr->path); /* a socket left by a killed POS */
  return 0;
}

static int listen_unix(struct proxlink_addr *addr, char *err, size_t errlen)
{
  struct sockaddr_un sun;
  struct stat st;

  unix_sockaddr(addr, &sun);
  if (clear_stale_socket(addr, &sun, err, errlen) != 0)
    return -1;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  mode_t old = umask(077);
  int rc = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sun, sizeof sun);
  umask(old);
  if (rc != 0 && errno == EADDRINUSE) {
    snprintf(err, errlen, "link address busy: %s was taken meanwhile", addr->path);
    close(fd);
    return -1;
  }
  if (rc != 0 || listen(fd, 4) != 0 || lstat(addr->path, &st) != 0) {
    snprintf(err, errlen, "cannot listen on %s: %s", addr->path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  addr->bound = true;
  addr->bound_dev = (unsigned long long)st.st_dev;
  addr->bound_ino = (unsigned long long)st.st_ino;
  return fd;
}

/* The link has no authentication of its own: it must not be reachable from
 * another machine.  True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
static bool is_loopback(const struct sockaddr *sa)
{
  if (sa->sa_family == AF_INET)
    return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
  if (sa->sa_family == AF_INET6) {
    const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127);
  }
  return false;
}

int proxlink_listen(struct proxlink_addr *addr, char *err, size_t errlen)
{
  int fd = -1, one = 1;

  addr->bound = false;
  if (addr->is_unix)
    return listen_unix(addr, err, errlen);
  struct addrinfo *res, *ai;
  if (resolve(addr, true, &res, err, errlen) != 0)
    return -1;
  for (ai = res; ai; ai = ai->ai_next)
    if (!is_loopback(ai->ai_addr)) {
      snprintf(err, errlen, "the proximity link listens on loopback only (127.0.0.0/8 or ::1), not %s", addr->host);
      freeaddrinfo(res);
      return -1;
    }
  snprintf(err, errlen, "cannot listen on %s:%s", addr->host, addr->port);
  for (ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0)
      continue;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 4) == 0)
      break;
    snprintf(err, errlen, "cannot listen on %s:%s: %s", addr->host, addr->port, strerror(errno));
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

/* Reads one line (up to '\n') within deadline; returns its length or -1. */
static int read_line(int fd, char *buf, size_t cap, long deadline)
{
  size_t n = 0;

  while (n + 1 < cap) {
    long left = deadline - now_ms();
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (left <= 0 || poll(&p, 1, (int)left) <= 0)
      return -1;
    ssize_t r = read(fd, buf + n, 1); /* byte by byte: the line is short */
    if (r <= 0)
      return -1;
    if (buf[n++] == '\n')
      break;
  }
  buf[n] = '\0';
  return n > 0 && buf[n - 1] == '\n' ? (int)n : -1;
}

static void write_all(int fd, const char *s)
{
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
    if (w <= 0)
      return; /* the peer went away: nothing to tell it */
    s += w;
    n -= (size_t)w;
  }
}

/* Serves one connection: 0 with user_id on a valid request, else -1. */
static int serve_one(int cfd, long deadline, char user_id[PROXLINK_USER_MAX + 1])
{
  char line[PROXLINK_LINE_MAX + 2], answer[64];
  const char *reason;
  long conn_deadline = now_ms() + PER_CONNECTION_MS;

  if (conn_deadline > deadline)
    conn_deadline = deadline;
  if (read_line(cfd, line, sizeof line, conn_deadline) < 0) {
    write_all(cfd, "ERR malformed\n");
    return -1;
  }
  if (proxlink_parse_request(line, user_id, &reason) != 0) {
    snprintf(answer, sizeof answer, "ERR %s\n", reason);
    write_all(cfd, answer);
    return -1;
  }
  write_all(cfd, "OK\n");
  return 0;
}

int proxlink_wait_user(int lfd, int timeout_ms, volatile int *interrupted, char user_id[PROXLINK_USER_MAX + 1],
                       char *err, size_t errlen)
{
  long deadline = now_ms() + timeout_ms;

  for (;;) {
    long left = deadline - now_ms();
    if (left <= 0 || (interrupted && *interrupted))
      return 1;
    struct pollfd p = { .fd = lfd, .events = POLLIN };
    int rc = poll(&p, 1, left > 1000 ? 1000 : (int)left); /* wake each second to see *interrupted */
    if (rc < 0 && errno != EINTR) {
      snprintf(err, errlen, "waiting on the proximity link: %s", strerror(errno));
      return -1;
    }
    if (rc <= 0)
      continue;
    int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (cfd < 0)
      continue;
    int served = serve_one(cfd, deadline, user_id);
    close(cfd);
    if (served == 0)
      return 0;
  }
}

void proxlink_close(int lfd, const struct proxlink_addr *addr)
{
  struct stat st;

  if (lfd >= 0)
    close(lfd);
  /* another POS may have replaced a path we no longer own: unlink only ours */
  if (addr->is_unix && addr->bound && lstat(addr->path, &st) == 0 && S_ISSOCK(st.st_mode)
      && (unsigned long long)st.st_dev == addr->bound_dev && (unsigned long long)st.st_ino == addr->bound_ino)
    unlink(addr->path);
}

static int connect_to(const struct proxlink_addr *addr, char *err, size_t errlen)
{
  int fd = -1;

  if (addr->is_unix) {
    struct sockaddr_un sun;
    unix_sockaddr(addr, &sun);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0)
      return fd;
    snprintf(err, errlen, "no POS terminal at %s: %s", addr->path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  struct addrinfo *res, *ai;
  if (resolve(addr, false, &res, err, errlen) != 0)
    return -1;
  for (ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    snprintf(err, errlen, "no POS terminal at %s:%s: %s", addr->host, addr->port, strerror(errno));
    if (fd >= 0)
      close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

int proxlink_send_user(const struct proxlink_addr *addr, const char *user_id, int timeout_ms, char *err, size_t errlen)
{
  char request[PROXLINK_LINE_MAX], answer[PROXLINK_LINE_MAX], reason[96];

  if (proxlink_format_request(user_id, request, sizeof request) != 0) {
    snprintf(err, errlen, "malformed user ID");
    return -1;
  }
  int fd = connect_to(addr, err, errlen);
  if (fd < 0)
    return -1;
  write_all(fd, request);
  int n = read_line(fd, answer, sizeof answer, now_ms() + timeout_ms);
  close(fd);
  if (n < 0) {
    snprintf(err, errlen, "the POS terminal did not answer within %d ms", timeout_ms);
    return -1;
  }
  if (proxlink_parse_reply(answer, reason, sizeof reason) != 0) {
    snprintf(err, errlen, "the POS terminal refused the user ID: %s", reason);
    return -1;
  }
  return 0;
}
