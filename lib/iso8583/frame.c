/* frame.c — ISO 8583 over TCP with a 2-byte big-endian length header (see
 * frame.h).  Every wait is a poll() with what is left of the caller's
 * time-out, so a silent or slow peer costs at most that long. */
#define _POSIX_C_SOURCE 200809L
#include "iso8583/frame.h"
#include "iso8583/iso8583.h"
#include "iso8583/wait.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

long iso_now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int iso_wait_fd(int fd, short events, long deadline)
{
  for (;;) {
    long left = deadline - iso_now_ms();
    if (left <= 0)
      return 0;
    struct pollfd p = { fd, events, 0 };
    int rc = poll(&p, 1, (int)left);
    if (rc > 0)
      return (p.revents & (events | POLLHUP | POLLERR)) ? 1 : -1;
    if (rc == 0)
      return 0;
    if (errno != EINTR)
      return -1;
  }
}

static int split_host_port(const char *host_port, char *host, size_t hostlen, const char **port)
{
  const char *colon = strrchr(host_port, ':');
  if (!colon || colon == host_port || (size_t)(colon - host_port) >= hostlen || !colon[1])
    return -1;
  const char *start = host_port, *end = colon;
  if (*start == '[' && end[-1] == ']') { /* [::1]:8583 */
    start++;
    end--;
  }
  memcpy(host, start, (size_t)(end - start));
  host[end - start] = '\0';
  *port = colon + 1;
  return 0;
}

static int connect_one(const struct addrinfo *ai, long deadline)
{
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0)
    return -1;
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
  if (rc != 0 && errno == EINPROGRESS && iso_wait_fd(fd, POLLOUT, deadline) == 1) {
    int err = 0;
    socklen_t len = sizeof err;
    rc = (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) ? 0 : -1;
  }
  if (rc != 0) {
    close(fd);
    return -1;
  }
  fcntl(fd, F_SETFL, flags);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

int iso_connect(const char *host_port, int timeout_ms)
{
  char host[256];
  const char *port;
  struct addrinfo hints = { 0 }, *list;
  long deadline = iso_now_ms() + timeout_ms;
  int fd = -1;

  if (!host_port || split_host_port(host_port, host, sizeof host, &port) != 0)
    return -1;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &list) != 0)
    return -1;
  for (struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next)
    fd = connect_one(ai, deadline);
  freeaddrinfo(list);
  return fd;
}

static int write_all(int fd, const uint8_t *p, size_t n, long deadline)
{
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      p += w;
      n -= (size_t)w;
      continue;
    }
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return ISO_FRAME_CLOSED;
    int rc = iso_wait_fd(fd, POLLOUT, deadline);
    if (rc <= 0)
      return rc == 0 ? ISO_FRAME_TIMEOUT : ISO_FRAME_CLOSED;
  }
  return ISO_FRAME_OK;
}

static int read_all(int fd, uint8_t *p, size_t n, long deadline)
{
  while (n > 0) {
    int rc = iso_wait_fd(fd, POLLIN, deadline);
    if (rc <= 0)
      return rc == 0 ? ISO_FRAME_TIMEOUT : ISO_FRAME_CLOSED;
    ssize_t r = recv(fd, p, n, MSG_DONTWAIT);
    if (r > 0) {
      p += r;
      n -= (size_t)r;
    } else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      return ISO_FRAME_CLOSED;
    }
  }
  return ISO_FRAME_OK;
}

int iso_frame_send(int fd, const uint8_t *msg, size_t len, int timeout_ms)
{
  uint8_t head[2];
  long deadline = iso_now_ms() + timeout_ms;

  if (len == 0 || len > ISO8583_MAX_MESSAGE)
    return ISO_FRAME_TOO_LONG;
  head[0] = (uint8_t)(len >> 8);
  head[1] = (uint8_t)(len & 0xff);
  int rc = write_all(fd, head, 2, deadline);
  return rc != ISO_FRAME_OK ? rc : write_all(fd, msg, len, deadline);
}

int iso_frame_recv(int fd, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
  uint8_t head[2];
  long deadline = iso_now_ms() + timeout_ms;
  int rc = read_all(fd, head, 2, deadline);

  if (rc != ISO_FRAME_OK)
    return rc;
  size_t n = (size_t)head[0] << 8 | head[1];
  if (n == 0)
    return ISO_FRAME_CLOSED; /* a zero-length frame is malformed */
  if (n > cap || n > ISO8583_MAX_MESSAGE)
    return ISO_FRAME_TOO_LONG;
  if ((rc = read_all(fd, buf, n, deadline)) != ISO_FRAME_OK)
    return rc;
  *len = n;
  return ISO_FRAME_OK;
}

long iso_frame_parse(const uint8_t *buf, size_t avail, const uint8_t **body, size_t *body_len)
{
  if (avail < 2)
    return 0;
  size_t n = (size_t)buf[0] << 8 | buf[1];
  if (n == 0 || n > ISO8583_MAX_MESSAGE)
    return ISO_FRAME_TOO_LONG;
  if (avail < n + 2)
    return 0;
  *body = buf + 2;
  *body_len = n;
  return (long)(n + 2);
}
