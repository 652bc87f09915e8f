/* test_iso8583_frame.c — ISO 8583 on TCP (lib/iso8583/frame.c): the 2-byte
 * big-endian header, partial writes and reads, time-outs, headers announcing
 * too much or nothing, a peer that goes away, the event-loop parser, and a
 * real loopback connect.  Partial I/O is forced with tiny socket buffers and
 * a peer that dribbles bytes from a second thread, and exactly by the
 * send()/recv() wrappers below. */
/* _GNU_SOURCE (config.h / AM_CFLAGS) gives syscall() for the wrappers below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "iso8583/frame.h"
#include "iso8583/iso8583.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void pair(int sv[2])
{
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void small_buffers(int fd)
{
  int size = 1024; /* the kernel rounds up, but stays far below a full message */
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

static void sleep_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

static long elapsed_ms(const struct timespec *from)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - from->tv_sec) * 1000L + (now.tv_nsec - from->tv_nsec) / 1000000L;
}

/* The peer thread: writes `len` bytes of `data` to fd in chunks of `chunk`
 * with a pause between them, or reads `len` bytes slowly into `data`. */
struct dribble {
  int fd;
  uint8_t *data;
  size_t len, chunk;
  long pause_ms;
  bool reading;
  size_t done;
};

static void *dribble_run(void *arg)
{
  struct dribble *d = arg;
  while (d->done < d->len) {
    size_t n = d->len - d->done < d->chunk ? d->len - d->done : d->chunk;
    ssize_t r = d->reading ? read(d->fd, d->data + d->done, n) : write(d->fd, d->data + d->done, n);
    if (r <= 0)
      break;
    d->done += (size_t)r;
    sleep_ms(d->pause_ms);
  }
  return NULL;
}

static void fill(uint8_t *buf, size_t len)
{
  for (size_t i = 0; i < len; i++)
    buf[i] = (uint8_t)('0' + i % 10);
}

static void a_frame_round_trips_with_its_header(void **state)
{
  (void)state;
  int sv[2];
  uint8_t raw[2 + 5], buf[64];
  size_t len = 0;

  pair(sv);
  assert_int_equal(iso_frame_send(sv[0], (const uint8_t *)"hello", 5, 1000), ISO_FRAME_OK);
  assert_int_equal(read(sv[1], raw, sizeof raw), 7);
  assert_int_equal(raw[0], 0x00);
  assert_int_equal(raw[1], 0x05);
  assert_memory_equal(raw + 2, "hello", 5);

  /* two frames back to back are read one at a time */
  assert_int_equal(iso_frame_send(sv[0], (const uint8_t *)"one", 3, 1000), ISO_FRAME_OK);
  assert_int_equal(iso_frame_send(sv[0], (const uint8_t *)"second", 6, 1000), ISO_FRAME_OK);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 1000), ISO_FRAME_OK);
  assert_int_equal(len, 3);
  assert_memory_equal(buf, "one", 3);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 1000), ISO_FRAME_OK);
  assert_int_equal(len, 6);
  assert_memory_equal(buf, "second", 6);
  close(sv[0]);
  close(sv[1]);
}

/* A loopback listener on an ephemeral port; *port gets its number. */
static int listen_loopback(int *port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t sl = sizeof sa;
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  assert_true(fd >= 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(fd, 4), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
  *port = ntohs(sa.sin_port);
  return fd;
}

/* A connected TCP pair on loopback (TCP, unlike a socketpair, accepts part
 * of a write when its buffer is nearly full). */
static void tcp_pair(int sv[2])
{
  int port;
  int lfd = listen_loopback(&port);
  char addr[32];

  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  sv[0] = iso_connect(addr, 1000);
  assert_true(sv[0] >= 0);
  sv[1] = accept(lfd, NULL, NULL);
  assert_true(sv[1] >= 0);
  close(lfd);
}

/* Fills fd's send path until the kernel refuses more; returns the bytes written. */
static size_t fill_socket(int fd)
{
  static uint8_t junk[512];
  size_t total = 0;
  ssize_t w;
  while ((w = send(fd, junk, sizeof junk, MSG_DONTWAIT)) > 0)
    total += (size_t)w;
  return total;
}

static void a_send_waits_for_room_in_a_full_socket(void **state)
{
  (void)state;
  int sv[2];
  static uint8_t msg[ISO8583_MAX_MESSAGE], got[1 << 20];

  tcp_pair(sv);
  small_buffers(sv[0]);
  small_buffers(sv[1]);
  fill(msg, sizeof msg);
  /* the socket is full before we start, and the reader takes 256 bytes
   * every 2 ms: send() must wait for room and write in pieces */
  size_t junk = fill_socket(sv[0]);
  assert_true(junk > 0 && junk + 2 + sizeof msg <= sizeof got);
  struct dribble d = { sv[1], got, junk + 2 + sizeof msg, 256, 2, true, 0 };
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, dribble_run, &d), 0);
  assert_int_equal(iso_frame_send(sv[0], msg, sizeof msg, 10000), ISO_FRAME_OK);
  pthread_join(t, NULL);
  assert_int_equal(d.done, junk + 2 + sizeof msg);
  assert_int_equal(got[junk], ISO8583_MAX_MESSAGE >> 8);
  assert_int_equal(got[junk + 1], ISO8583_MAX_MESSAGE & 0xff);
  assert_memory_equal(got + junk + 2, msg, sizeof msg);
  close(sv[0]);
  close(sv[1]);
}

/* While `stingy` is set, send() and recv() (which frame.c calls; the test
 * binary's definitions win over libc's at link time) move at most 3 bytes
 * at a time and fail every other call with EINTR, as a loaded kernel may. */
static bool stingy;
static int stingy_calls, stingy_eintr;

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
  if (stingy && stingy_calls++ % 2 == 0) {
    stingy_eintr++;
    errno = EINTR;
    return -1;
  }
  return syscall(SYS_sendto, fd, buf, stingy && n > 3 ? 3 : n, flags, NULL, 0);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
  if (stingy && stingy_calls++ % 2 == 0) {
    stingy_eintr++;
    errno = EINTR;
    return -1;
  }
  return syscall(SYS_recvfrom, fd, buf, stingy && n > 3 ? 3 : n, flags, NULL, NULL);
}

static int unstingy(void **state)
{
  (void)state;
  stingy = false; /* even when the test failed half-way */
  return 0;
}

static void short_writes_short_reads_and_eintr(void **state)
{
  (void)state;
  int sv[2];
  static uint8_t msg[120], buf[ISO8583_MAX_MESSAGE], raw[2 + sizeof msg];
  size_t len = 0;

  pair(sv); /* small: the unix socket charges a whole buffer per 3-byte write */
  fill(msg, sizeof msg);
  stingy = true;
  stingy_calls = stingy_eintr = 0;
  assert_int_equal(iso_frame_send(sv[0], msg, sizeof msg, 5000), ISO_FRAME_OK);
  int sends = stingy_calls;
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 5000), ISO_FRAME_OK);
  stingy = false;
  assert_true(sends > 2 * (int)(sizeof msg / 3)); /* it really went 3 bytes at a time */
  assert_true(stingy_eintr > 2 * (int)(sizeof msg / 3));
  assert_int_equal(len, sizeof msg);
  assert_memory_equal(buf, msg, sizeof msg);

  /* and the bytes on the wire are exactly header + body */
  assert_int_equal(iso_frame_send(sv[0], msg, sizeof msg, 1000), ISO_FRAME_OK);
  assert_int_equal(read(sv[1], raw, sizeof raw), (ssize_t)sizeof raw);
  assert_int_equal(raw[0] << 8 | raw[1], sizeof msg);
  assert_memory_equal(raw + 2, msg, sizeof msg);
  close(sv[0]);
  close(sv[1]);
}

static void a_frame_arriving_in_pieces_is_assembled(void **state)
{
  (void)state;
  int sv[2];
  static uint8_t wire[2 + 300], buf[ISO8583_MAX_MESSAGE];
  size_t len = 0;

  pair(sv);
  wire[0] = 0x01; /* 300 = 0x012c: the header itself arrives split */
  wire[1] = 0x2c;
  fill(wire + 2, 300);
  struct dribble d = { sv[0], wire, sizeof wire, 1, 1, false, 0 };
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, dribble_run, &d), 0);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 5000), ISO_FRAME_OK);
  pthread_join(t, NULL);
  assert_int_equal(len, 300);
  assert_memory_equal(buf, wire + 2, 300);
  close(sv[0]);
  close(sv[1]);
}

static void a_silent_peer_times_out(void **state)
{
  (void)state;
  int sv[2];
  uint8_t buf[64];
  size_t len = 0;
  struct timespec start;

  pair(sv);
  clock_gettime(CLOCK_MONOTONIC, &start);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 100), ISO_FRAME_TIMEOUT);
  assert_in_range(elapsed_ms(&start), 90, 1000);

  /* the header and half the body, then nothing: the time-out covers the whole frame */
  uint8_t part[] = { 0x00, 0x0a, '1', '2', '3', '4', '5' };
  assert_int_equal(write(sv[0], part, sizeof part), (ssize_t)sizeof part);
  clock_gettime(CLOCK_MONOTONIC, &start);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 100), ISO_FRAME_TIMEOUT);
  assert_in_range(elapsed_ms(&start), 90, 1000);
  close(sv[0]);
  close(sv[1]);
}

static void a_peer_that_does_not_read_times_out_the_send(void **state)
{
  (void)state;
  int sv[2];
  static uint8_t msg[ISO8583_MAX_MESSAGE];
  int rc;

  pair(sv);
  small_buffers(sv[0]);
  small_buffers(sv[1]);
  fill(msg, sizeof msg);
  /* nobody reads sv[1] and the socket is already full: the send gives up in time */
  struct timespec start;
  assert_true(fill_socket(sv[0]) > 0);
  clock_gettime(CLOCK_MONOTONIC, &start);
  rc = iso_frame_send(sv[0], msg, sizeof msg, 100);
  assert_in_range(elapsed_ms(&start), 90, 1000);
  assert_int_equal(rc, ISO_FRAME_TIMEOUT);
  close(sv[0]);
  close(sv[1]);
}

static void headers_announcing_too_much_or_nothing(void **state)
{
  (void)state;
  int sv[2];
  uint8_t buf[64];
  size_t len = 0;
  static uint8_t big[ISO8583_MAX_MESSAGE + 1];

  pair(sv);
  uint8_t over_cap[] = { 0x00, 65 }; /* more than the caller's 64 */
  assert_int_equal(write(sv[0], over_cap, 2), 2);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 1000), ISO_FRAME_TOO_LONG);
  close(sv[0]);
  close(sv[1]);

  pair(sv);
  uint8_t over_max[] = { 0x08, 0x01 }; /* 2049 > ISO8583_MAX_MESSAGE */
  assert_int_equal(write(sv[0], over_max, 2), 2);
  assert_int_equal(iso_frame_recv(sv[1], big, sizeof big, &len, 1000), ISO_FRAME_TOO_LONG);
  close(sv[0]);
  close(sv[1]);

  pair(sv);
  uint8_t zero[] = { 0x00, 0x00 }; /* malformed: treated as closed */
  assert_int_equal(write(sv[0], zero, 2), 2);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 1000), ISO_FRAME_CLOSED);

  /* and we never send what the peer would refuse */
  assert_int_equal(iso_frame_send(sv[0], big, 0, 1000), ISO_FRAME_TOO_LONG);
  assert_int_equal(iso_frame_send(sv[0], big, sizeof big, 1000), ISO_FRAME_TOO_LONG);
  close(sv[0]);
  close(sv[1]);
}

static void a_peer_that_goes_away(void **state)
{
  (void)state;
  int sv[2];
  uint8_t buf[64];
  size_t len = 0;

  pair(sv); /* closed before anything */
  close(sv[0]);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 1000), ISO_FRAME_CLOSED);
  close(sv[1]);

  pair(sv); /* half a header */
  assert_int_equal(write(sv[0], "\x00", 1), 1);
  close(sv[0]);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 1000), ISO_FRAME_CLOSED);
  close(sv[1]);

  pair(sv); /* mid-body */
  uint8_t part[] = { 0x00, 0x09, 'a', 'b' };
  assert_int_equal(write(sv[0], part, sizeof part), (ssize_t)sizeof part);
  close(sv[0]);
  assert_int_equal(iso_frame_recv(sv[1], buf, sizeof buf, &len, 1000), ISO_FRAME_CLOSED);
  close(sv[1]);

  pair(sv); /* sending to a closed peer: no SIGPIPE */
  close(sv[1]);
  assert_int_equal(iso_frame_send(sv[0], (const uint8_t *)"x", 1, 1000), ISO_FRAME_CLOSED);
  close(sv[0]);
}

static void the_event_loop_parser(void **state)
{
  (void)state;
  const uint8_t *body = NULL;
  size_t len = 0;
  uint8_t two[] = { 0x00, 0x03, 'a', 'b', 'c', 0x00, 0x01, 'z' };

  assert_int_equal(iso_frame_parse(two, 0, &body, &len), 0);
  assert_int_equal(iso_frame_parse(two, 1, &body, &len), 0);
  assert_int_equal(iso_frame_parse(two, 4, &body, &len), 0);
  assert_int_equal(iso_frame_parse(two, 5, &body, &len), 5);
  assert_ptr_equal(body, two + 2);
  assert_int_equal(len, 3);
  /* the caller consumes 5 bytes; the second frame follows */
  assert_int_equal(iso_frame_parse(two + 5, 3, &body, &len), 3);
  assert_ptr_equal(body, two + 7);
  assert_int_equal(len, 1);

  uint8_t zero[] = { 0x00, 0x00 };
  assert_int_equal(iso_frame_parse(zero, 2, &body, &len), ISO_FRAME_TOO_LONG);
  uint8_t over[] = { 0x08, 0x01 };
  assert_int_equal(iso_frame_parse(over, 2, &body, &len), ISO_FRAME_TOO_LONG);
  uint8_t max[] = { 0x08, 0x00 }; /* exactly the maximum: wait for it */
  assert_int_equal(iso_frame_parse(max, 2, &body, &len), 0);
}

static void connecting_over_tcp(void **state)
{
  (void)state;
  int port;
  int lfd = listen_loopback(&port);
  char addr[64];
  uint8_t buf[16];
  size_t len = 0;

  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  int fd = iso_connect(addr, 1000);
  assert_true(fd >= 0);
  int peer = accept(lfd, NULL, NULL);
  assert_true(peer >= 0);
  assert_int_equal(iso_frame_send(fd, (const uint8_t *)"0800", 4, 1000), ISO_FRAME_OK);
  assert_int_equal(iso_frame_recv(peer, buf, sizeof buf, &len, 1000), ISO_FRAME_OK);
  assert_int_equal(len, 4);
  assert_memory_equal(buf, "0800", 4);
  close(fd);
  close(peer);

  snprintf(addr, sizeof addr, "localhost:%d", port); /* a name, through getaddrinfo */
  fd = iso_connect(addr, 1000);                      /* ::1 first is refused, 127.0.0.1 next */
  assert_true(fd >= 0);
  peer = accept(lfd, NULL, NULL);
  assert_true(peer >= 0);
  close(fd);
  close(peer);
  close(lfd);

  /* the listener is gone: refused, not hung */
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  assert_int_equal(iso_connect(addr, 1000), -1);
  assert_int_equal(iso_connect("no-port", 200), -1);
  assert_int_equal(iso_connect("127.0.0.1:", 200), -1);
  assert_int_equal(iso_connect(":8583", 200), -1);
  assert_int_equal(iso_connect(NULL, 200), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_frame_round_trips_with_its_header),
    cmocka_unit_test(a_send_waits_for_room_in_a_full_socket),
    cmocka_unit_test(a_frame_arriving_in_pieces_is_assembled),
    cmocka_unit_test_teardown(short_writes_short_reads_and_eintr, unstingy),
    cmocka_unit_test(a_silent_peer_times_out),
    cmocka_unit_test(a_peer_that_does_not_read_times_out_the_send),
    cmocka_unit_test(headers_announcing_too_much_or_nothing),
    cmocka_unit_test(a_peer_that_goes_away),
    cmocka_unit_test(the_event_loop_parser),
    cmocka_unit_test(connecting_over_tcp),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
