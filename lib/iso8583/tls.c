/* tls.c — ISO 8583 links inside TLS (tls.h): the handshake within a
 * deadline, framed messages, the kept-link check, close.  The socket is
 * non-blocking for the whole life of a link: every OpenSSL call returns at
 * once, and an SSL_ERROR_WANT_READ / WANT_WRITE becomes a poll() for that
 * event with what is left of the caller's deadline.  The socket is reached
 * through a BIO of our own that writes with MSG_NOSIGNAL, so a peer gone
 * away is an error, never a SIGPIPE. */
#define _POSIX_C_SOURCE 200809L
#include "iso8583/tls.h"
#include "iso8583/frame.h"
#include "iso8583/iso8583.h"
#include "iso8583/tls_internal.h"
#include "iso8583/wait.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct iso_link {
  int fd;
  SSL *ssl;
  bool sound; /* no fatal error: close_notify may be sent */
  char peer[256];
  char merchant[ISO_TLS_MERCHANT_CODE_MAX + 1]; /* "" unless the peer is a merchant's POS */
  char error[200];
};

/* --- the socket BIO -------------------------------------------------------- */

static BIO_METHOD *socket_method;
static pthread_once_t method_once = PTHREAD_ONCE_INIT;

static int bio_fd(BIO *b)
{
  return (int)(intptr_t)BIO_get_data(b);
}

static int bio_write(BIO *b, const char *data, int len)
{
  BIO_clear_retry_flags(b);
  ssize_t w = send(bio_fd(b), data, (size_t)len, MSG_NOSIGNAL);
  if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    BIO_set_retry_write(b);
  return (int)w;
}

static int bio_read(BIO *b, char *data, int len)
{
  BIO_clear_retry_flags(b);
  ssize_t r = recv(bio_fd(b), data, (size_t)len, 0);
  if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    BIO_set_retry_read(b);
  return (int)r;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
  (void)num;
  if (cmd == BIO_CTRL_FLUSH)
    return 1;
  if (cmd == BIO_C_GET_FD) {
    if (ptr)
      *(int *)ptr = bio_fd(b);
    return bio_fd(b);
  }
  return 0;
}

static int bio_create(BIO *b)
{
  BIO_set_init(b, 1);
  return 1;
}

static void make_method(void)
{
  socket_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "iso8583 socket");
  if (!socket_method)
    return;
  BIO_meth_set_write(socket_method, bio_write);
  BIO_meth_set_read(socket_method, bio_read);
  BIO_meth_set_ctrl(socket_method, bio_ctrl);
  BIO_meth_set_create(socket_method, bio_create);
}

/* --- making a link ---------------------------------------------------------- */

static struct iso_link *link_new(SSL_CTX *ctx, int fd)
{
  struct iso_link *l = calloc(1, sizeof *l);
  BIO *bio = NULL;

  pthread_once(&method_once, make_method);
  if (!l || !socket_method || !(l->ssl = SSL_new(ctx)) || !(bio = BIO_new(socket_method))) {
    if (l)
      SSL_free(l->ssl);
    free(l);
    return NULL;
  }
  BIO_set_data(bio, (void *)(intptr_t)fd);
  SSL_set_bio(l->ssl, bio, bio);
  l->fd = fd;
  l->sound = true;
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  return l;
}

/* Records why the last call (which returned rc) failed, in l->error. */
static void link_failed(struct iso_link *l, int rc)
{
  int saved_errno = errno;
  int e = SSL_get_error(l->ssl, rc);
  unsigned long code = ERR_peek_last_error();
  long verify = SSL_get_verify_result(l->ssl);

  l->sound = false;
  if (e == SSL_ERROR_ZERO_RETURN) {
    snprintf(l->error, sizeof l->error, "closed by the peer (close_notify)");
  } else if (!SSL_is_init_finished(l->ssl) && BIO_number_read(SSL_get_rbio(l->ssl)) == 0 && !code) {
    snprintf(l->error, sizeof l->error, "closed before the TLS handshake");
  } else if (code && ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED && verify != X509_V_OK) {
    snprintf(l->error, sizeof l->error, "certificate verify failed: %s", X509_verify_cert_error_string(verify));
  } else if (code && ERR_reason_error_string(code)) {
    snprintf(l->error, sizeof l->error, "%s", ERR_reason_error_string(code));
  } else if (e == SSL_ERROR_SYSCALL && saved_errno && rc < 0) {
    snprintf(l->error, sizeof l->error, "%s", strerror(saved_errno));
  } else {
    snprintf(l->error, sizeof l->error, "closed by the peer");
  }
  ERR_clear_error();
}

/* After an SSL call returned rc <= 0: waits for what it wants within the
 * deadline.  1 call again, 0 deadline passed, -1 failed (l->error says). */
static int link_wait(struct iso_link *l, int rc, long deadline)
{
  int e = SSL_get_error(l->ssl, rc);
  if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
    link_failed(l, rc);
    return -1;
  }
  ERR_clear_error();
  int w = iso_wait_fd(l->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
  if (w < 0)
    snprintf(l->error, sizeof l->error, "socket error");
  return w;
}

static int handshake(struct iso_link *l, bool server, long deadline, enum iso_link_fail *fail)
{
  for (;;) {
    ERR_clear_error();
    int rc = server ? SSL_accept(l->ssl) : SSL_connect(l->ssl);
    if (rc == 1)
      return 0;
    int w = link_wait(l, rc, deadline);
    if (w == 0) {
      snprintf(l->error, sizeof l->error, "handshake time-out");
      l->sound = false;
      *fail = ISO_LINK_HANDSHAKE_TIMEOUT;
      return -1;
    }
    if (w < 0) {
      *fail = BIO_number_read(SSL_get_rbio(l->ssl)) == 0 ? ISO_LINK_CLOSED_EARLY : ISO_LINK_REFUSED;
      return -1;
    }
  }
}

static struct iso_link *handshake_or_free(struct iso_link *l, bool server, long deadline, enum iso_link_fail *fail,
                                          char *err, size_t errlen)
{
  if (handshake(l, server, deadline, fail) == 0)
    return l;
  snprintf(err, errlen, "%s", l->error);
  iso_link_close(l);
  return NULL;
}

/* The host of "host:port" or "[v6]:port". */
static void host_of(const char *host_port, char *out, size_t cap)
{
  const char *colon = strrchr(host_port, ':');
  size_t n = colon ? (size_t)(colon - host_port) : strlen(host_port);
  if (n >= 2 && host_port[0] == '[' && host_port[n - 1] == ']')
    snprintf(out, cap, "%.*s", (int)(n - 2), host_port + 1);
  else
    snprintf(out, cap, "%.*s", (int)n, host_port);
}

struct iso_link *iso_link_connect(SSL_CTX *ctx, const char *host_port, const char *server_name, int timeout_ms,
                                  enum iso_link_fail *fail, char *err, size_t errlen)
{
  long deadline = iso_now_ms() + timeout_ms;
  char host[256];
  unsigned char ip[16];

  *fail = ISO_LINK_NO_CONNECTION;
  int fd = iso_connect(host_port, timeout_ms);
  if (fd < 0) {
    snprintf(err, errlen, "no connection");
    return NULL;
  }
  struct iso_link *l = link_new(ctx, fd);
  if (!l) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (server_name && *server_name)
    snprintf(l->peer, sizeof l->peer, "%s", server_name);
  else
    host_of(host_port, l->peer, sizeof l->peer);
  snprintf(host, sizeof host, "%s", l->peer);
  bool is_ip = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
  int named = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(l->ssl), host)
                    : SSL_set1_host(l->ssl, host) && SSL_set_tlsext_host_name(l->ssl, host);
  if (!named) {
    snprintf(err, errlen, "cannot check the server's certificate for '%s'", host);
    *fail = ISO_LINK_REFUSED;
    iso_link_close(l);
    return NULL;
  }
  return handshake_or_free(l, false, deadline, fail, err, errlen);
}

struct iso_link *iso_link_accept(SSL_CTX *ctx, int fd, int timeout_ms, enum iso_link_fail *fail, char *err,
                                 size_t errlen)
{
  long deadline = iso_now_ms() + timeout_ms;
  struct iso_link *l = link_new(ctx, fd);

  *fail = ISO_LINK_REFUSED;
  if (!l) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  l = handshake_or_free(l, true, deadline, fail, err, errlen);
  if (l) {
    X509 *cert = SSL_get0_peer_certificate(l->ssl);
    if (cert && iso_tls_acquirer_named(cert, iso_tls_ctx_acquirers(ctx), l->peer, sizeof l->peer))
      return l;
    if (cert && iso_tls_ctx_merchants(ctx) && iso_tls_merchant_named(cert, l->merchant, sizeof l->merchant))
      snprintf(l->peer, sizeof l->peer, "%s%s", ISO_TLS_MERCHANT_PREFIX, l->merchant);
    else
      snprintf(l->peer, sizeof l->peer, "?"); /* cannot happen: verify_acquirer checked it */
  }
  return l;
}

/* --- messages ------------------------------------------------------------- */

static int write_all(struct iso_link *l, const uint8_t *p, size_t n, long deadline)
{
  for (;;) {
    ERR_clear_error();
    int w = SSL_write(l->ssl, p, (int)n); /* all of it: partial writes are off */
    if (w > 0)
      return ISO_FRAME_OK;
    int rc = link_wait(l, w, deadline);
    if (rc <= 0) {
      l->sound = false; /* part of a record may be out */
      return rc == 0 ? ISO_FRAME_TIMEOUT : ISO_FRAME_CLOSED;
    }
  }
}

static int read_all(struct iso_link *l, uint8_t *p, size_t n, long deadline)
{
  while (n > 0) {
    ERR_clear_error();
    int r = SSL_read(l->ssl, p, (int)n);
    if (r > 0) {
      p += r;
      n -= (size_t)r;
      continue;
    }
    int rc = link_wait(l, r, deadline);
    if (rc <= 0)
      return rc == 0 ? ISO_FRAME_TIMEOUT : ISO_FRAME_CLOSED;
  }
  return ISO_FRAME_OK;
}

int iso_link_send(struct iso_link *l, const uint8_t *msg, size_t len, int timeout_ms)
{
  uint8_t frame[2 + ISO8583_MAX_MESSAGE];

  if (len == 0 || len > ISO8583_MAX_MESSAGE)
    return ISO_FRAME_TOO_LONG;
  frame[0] = (uint8_t)(len >> 8);
  frame[1] = (uint8_t)(len & 0xff);
  memcpy(frame + 2, msg, len);
  int rc = write_all(l, frame, len + 2, iso_now_ms() + timeout_ms); /* one record */
  OPENSSL_cleanse(frame, len + 2);                                  /* a 0100 holds a card number */
  return rc;
}

int iso_link_send_raw(struct iso_link *l, const uint8_t *bytes, size_t len, int timeout_ms)
{
  return len == 0 ? ISO_FRAME_OK : write_all(l, bytes, len, iso_now_ms() + timeout_ms);
}

int iso_link_recv(struct iso_link *l, uint8_t *buf, size_t cap, size_t *len, int timeout_ms)
{
  uint8_t head[2];
  long deadline = iso_now_ms() + timeout_ms;
  int rc = read_all(l, head, 2, deadline);

  if (rc != ISO_FRAME_OK)
    return rc;
  size_t n = (size_t)head[0] << 8 | head[1];
  if (n == 0)
    return ISO_FRAME_CLOSED; /* a zero-length frame is malformed */
  if (n > cap || n > ISO8583_MAX_MESSAGE)
    return ISO_FRAME_TOO_LONG;
  if ((rc = read_all(l, buf, n, deadline)) != ISO_FRAME_OK)
    return rc;
  *len = n;
  return ISO_FRAME_OK;
}

long iso_link_read_some(struct iso_link *l, uint8_t *buf, size_t cap)
{
  ERR_clear_error();
  int r = SSL_read(l->ssl, buf, (int)cap);
  if (r > 0)
    return r;
  int e = SSL_get_error(l->ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    ERR_clear_error();
    return 0;
  }
  link_failed(l, r);
  return -1;
}

bool iso_link_pending(const struct iso_link *l)
{
  return SSL_pending(l->ssl) > 0;
}

bool iso_link_partial(const struct iso_link *l)
{
  return SSL_has_pending(l->ssl) == 1;
}

bool iso_link_usable(struct iso_link *l)
{
  uint8_t byte;

  if (!l->sound || SSL_pending(l->ssl) > 0)
    return false;
  ERR_clear_error();
  int r = SSL_peek(l->ssl, &byte, 1); /* consumes records without data */
  if (r > 0)
    return false; /* unasked-for data waits */
  if (SSL_get_error(l->ssl, r) == SSL_ERROR_WANT_READ) {
    ERR_clear_error();
    return true;
  }
  link_failed(l, r); /* FIN, close_notify or an alert */
  return false;
}

int iso_link_fd(const struct iso_link *l)
{
  return l->fd;
}
const char *iso_link_peer(const struct iso_link *l)
{
  return l->peer;
}
const char *iso_link_peer_merchant(const struct iso_link *l)
{
  return l->merchant[0] ? l->merchant : NULL;
}
const char *iso_link_version(const struct iso_link *l)
{
  return SSL_get_version(l->ssl);
}
const char *iso_link_cipher(const struct iso_link *l)
{
  return SSL_get_cipher_name(l->ssl);
}
const char *iso_link_error(const struct iso_link *l)
{
  return l->error;
}

void iso_link_close(struct iso_link *l)
{
  if (!l)
    return;
  if (l->sound && SSL_is_init_finished(l->ssl)) {
    ERR_clear_error();
    SSL_shutdown(l->ssl); /* close_notify; never waits for the peer's */
  }
  ERR_clear_error();
  SSL_free(l->ssl); /* frees the BIO, which leaves the socket */
  close(l->fd);
  free(l);
}
