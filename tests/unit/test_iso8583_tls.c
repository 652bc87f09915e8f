/* test_iso8583_tls.c — the ISO 8583 link under mutual TLS (lib/iso8583/
 * tls.c, tls_ctx.c) on loopback: framed messages both ways; the credit
 * server's refusals (no client certificate, another CA, no clientAuth, no
 * extendedKeyUsage, a name it does not serve); the acquirer's refusals (a
 * server of another CA or name); handshake and read time-outs; the kept-link
 * check (a close_notify, a FIN, unasked-for data make it unusable; session
 * tickets do not); no SIGPIPE.  Certificates are made here with OpenSSL, in a
 * folder of their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "iso8583/frame.h"
#include "iso8583/iso8583.h"
#include "iso8583/tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

/* --- certificates ------------------------------------------------------------ */

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
  X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
  assert_non_null(ext);
  assert_int_equal(X509_add_ext(x, ext, -1), 1);
  X509_EXTENSION_free(ext);
}

/* Writes dir/NAME.crt and dir/NAME.key: a CA (issuer NULL) or a leaf of
 * `issuer` (its certificate and key: dir/ISSUER.crt, .key). */
static void make_cert(const char *name, const char *issuer, const char *san, const char *eku)
{
  static long serial = 1;
  char path[160];
  EVP_PKEY *key = EVP_EC_gen("P-256"), *issuer_key = NULL;
  X509 *x = X509_new(), *ca = NULL;
  FILE *f;

  assert_non_null(key);
  if (issuer) {
    snprintf(path, sizeof path, "%s/%s.crt", dir, issuer);
    assert_non_null(f = fopen(path, "r"));
    ca = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s.key", dir, issuer);
    assert_non_null(f = fopen(path, "r"));
    issuer_key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    assert_true(ca && issuer_key);
  }
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, (const unsigned char *)name, -1, -1, 0);
  X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : X509_get_subject_name(x));
  add_ext(x, ca, NID_basic_constraints, ca ? "CA:false" : "critical,CA:true");
  if (!ca)
    add_ext(x, ca, NID_key_usage, "critical,keyCertSign,cRLSign");
  if (san)
    add_ext(x, ca, NID_subject_alt_name, san);
  if (eku)
    add_ext(x, ca, NID_ext_key_usage, eku);
  assert_true(X509_sign(x, ca ? issuer_key : key, EVP_sha256()) > 0);

  snprintf(path, sizeof path, "%s/%s.crt", dir, name);
  assert_non_null(f = fopen(path, "w"));
  PEM_write_X509(f, x);
  fclose(f);
  snprintf(path, sizeof path, "%s/%s.key", dir, name);
  assert_non_null(f = fopen(path, "w"));
  PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
  fclose(f);
  X509_free(x);
  X509_free(ca);
  EVP_PKEY_free(key);
  EVP_PKEY_free(issuer_key);
}

static const char *file(const char *name, const char *ext)
{
  static char paths[8][160];
  static int next;
  char *p = paths[next++ % 8];
  snprintf(p, 160, "%s/%s.%s", dir, name, ext);
  return p;
}

static int make_all(void **state)
{
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/test_iso8583_tls.XXXXXX");
  if (!mkdtemp(dir))
    return -1;
  make_cert("ca", NULL, NULL, NULL);
  make_cert("other-ca", NULL, NULL, NULL);
  make_cert("server", "ca", "DNS:paygw-credit-server,IP:127.0.0.1", "serverAuth");
  make_cert("gateway", "ca", "DNS:paygw-gateway", "clientAuth");
  make_cert("stranger", "ca", "DNS:paygw-stranger", "clientAuth");
  make_cert("server-only", "ca", "DNS:paygw-gateway", "serverAuth");
  make_cert("no-eku", "ca", "DNS:paygw-gateway", NULL);
  make_cert("outsider", "other-ca", "DNS:paygw-gateway", "clientAuth");
  make_cert("other-server", "other-ca", "DNS:paygw-credit-server,IP:127.0.0.1", "serverAuth");
  make_cert("pos", "ca", "DNS:merchant-1111111111", "clientAuth");
  make_cert("pos-two", "ca", "DNS:merchant-1111111111,DNS:merchant-2222222222", "clientAuth");
  make_cert("pos-long", "ca", "DNS:merchant-1234567890123456", "clientAuth");
  make_cert("pos-server", "ca", "DNS:merchant-1111111111", "serverAuth");
  return 0;
}

static int remove_all(void **state)
{
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* --- a server thread ------------------------------------------------------------ */

struct server {
  SSL_CTX *ctx;
  int lfd, port, timeout_ms;
  struct iso_link *link;
  enum iso_link_fail fail;
  char err[200];
  pthread_t thread;
};

static void *server_main(void *arg)
{
  struct server *s = arg;
  int fd = accept(s->lfd, NULL, NULL);
  s->link = fd < 0 ? NULL : iso_link_accept(s->ctx, fd, s->timeout_ms, &s->fail, s->err, sizeof s->err);
  return NULL;
}

static SSL_CTX *server_ctx(const char *cert, const char *acquirers)
{
  char err[200];
  SSL_CTX *ctx =
      iso_tls_server_ctx(file("ca", "crt"), file(cert, "crt"), file(cert, "key"), acquirers, err, sizeof err);
  if (!ctx)
    fprintf(stderr, "server context: %s\n", err);
  assert_non_null(ctx);
  return ctx;
}

static SSL_CTX *client_ctx(const char *ca, const char *cert)
{
  char err[200];
  SSL_CTX *ctx = iso_tls_client_ctx(file(ca, "crt"), cert ? file(cert, "crt") : NULL, cert ? file(cert, "key") : NULL,
                                    err, sizeof err);
  if (!ctx)
    fprintf(stderr, "client context: %s\n", err);
  assert_non_null(ctx);
  return ctx;
}

/* Starts a server accepting one connection with ctx (taken). */
static void server_start(struct server *s, SSL_CTX *ctx, int timeout_ms)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t sl = sizeof sa;

  memset(s, 0, sizeof *s);
  s->ctx = ctx;
  s->timeout_ms = timeout_ms;
  s->lfd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(s->lfd >= 0);
  assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(s->lfd, 4), 0);
  assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&sa, &sl), 0);
  s->port = ntohs(sa.sin_port);
  assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_join(struct server *s)
{
  pthread_join(s->thread, NULL);
  close(s->lfd);
}

static void server_end(struct server *s)
{
  iso_link_close(s->link);
  iso_tls_ctx_free(s->ctx);
}

static struct iso_link *client_connect(struct server *s, SSL_CTX *ctx, const char *name, enum iso_link_fail *fail,
                                       char *err, size_t errlen)
{
  char addr[32];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", s->port);
  return iso_link_connect(ctx, addr, name, 2000, fail, err, errlen);
}

static long elapsed_ms(const struct timespec *from)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - from->tv_sec) * 1000L + (now.tv_nsec - from->tv_nsec) / 1000000L;
}

/* --- the tests ----------------------------------------------------------------- */

static void frames_travel_both_ways_inside_mutual_tls(void **state)
{
  (void)state;
  struct server s;
  enum iso_link_fail fail;
  char err[200];
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len = 0;
  static uint8_t big[ISO8583_MAX_MESSAGE];

  server_start(&s, server_ctx("server", "paygw-gateway other-acquirer"), 2000);
  SSL_CTX *c = client_ctx("ca", "gateway");
  struct iso_link *l = client_connect(&s, c, "paygw-credit-server", &fail, err, sizeof err);
  server_join(&s);
  assert_non_null(l);
  assert_non_null(s.link);
  assert_string_equal(iso_link_peer(s.link), "paygw-gateway"); /* the acquirer the server matched */
  assert_string_equal(iso_link_peer(l), "paygw-credit-server");
  assert_string_equal(iso_link_version(l), "TLSv1.3");
  assert_true(iso_link_usable(l));

  assert_int_equal(iso_link_send(l, (const uint8_t *)"0800", 4, 1000), ISO_FRAME_OK);
  assert_int_equal(iso_link_recv(s.link, buf, sizeof buf, &len, 1000), ISO_FRAME_OK);
  assert_int_equal(len, 4);
  assert_memory_equal(buf, "0800", 4);
  memset(big, '7', sizeof big);
  assert_int_equal(iso_link_send(s.link, big, sizeof big, 1000), ISO_FRAME_OK); /* the largest frame */
  assert_int_equal(iso_link_recv(l, buf, sizeof buf, &len, 1000), ISO_FRAME_OK);
  assert_int_equal(len, sizeof big);
  assert_memory_equal(buf, big, sizeof big);
  assert_int_equal(iso_link_send(l, big, 0, 1000), ISO_FRAME_TOO_LONG);

  /* the event-loop reader sees the same bytes, header included */
  assert_int_equal(iso_link_send(l, (const uint8_t *)"0100", 4, 1000), ISO_FRAME_OK);
  long got = 0;
  for (int i = 0; i < 100 && got < 6; i++) {
    long n = iso_link_read_some(s.link, buf + got, sizeof buf - (size_t)got);
    assert_true(n >= 0);
    got += n;
    if (n == 0)
      usleep(10000);
  }
  assert_int_equal(got, 6);
  assert_memory_equal(buf,
                      "\x00\x04"
                      "0100",
                      6);
  assert_false(iso_link_pending(s.link));
  iso_link_close(l);
  SSL_CTX_free(c);
  server_end(&s);
}

/* refused: the server's handshake fails with `why` in its reason, and the
 * client gets no link or a link that is closed at the first read */
static void refused_by_server(const char *ca, const char *cert, const char *why)
{
  struct server s;
  enum iso_link_fail fail;
  char err[200];
  uint8_t buf[64];
  size_t len;

  server_start(&s, server_ctx("server", "paygw-gateway"), 2000);
  SSL_CTX *c = client_ctx(ca, cert);
  struct iso_link *l = client_connect(&s, c, "paygw-credit-server", &fail, err, sizeof err);
  if (l) { /* TLS 1.3: the client finishes before the server has checked it */
    iso_link_send(l, (const uint8_t *)"0800", 4, 1000);
    assert_int_equal(iso_link_recv(l, buf, sizeof buf, &len, 2000), ISO_FRAME_CLOSED);
    assert_non_null(strstr(iso_link_error(l), "alert"));
  }
  server_join(&s);
  assert_null(s.link);
  assert_int_equal(s.fail, ISO_LINK_REFUSED);
  if (!strstr(s.err, why))
    fprintf(stderr, "server's reason: %s (expected %s)\n", s.err, why);
  assert_non_null(strstr(s.err, why));
  iso_link_close(l);
  SSL_CTX_free(c);
  server_end(&s);
}

/* A server context that also accepts merchants' POS certificates. */
static SSL_CTX *merchant_server_ctx(void)
{
  SSL_CTX *ctx = server_ctx("server", "paygw-gateway");
  assert_int_equal(iso_tls_server_accept_merchants(ctx), 0);
  return ctx;
}

/* cert connects to a server accepting merchants: the link and what the
 * server saw, or NULL */
static bool merchant_link(const char *cert, char *peer, size_t peer_cap, char *merchant, size_t merchant_cap)
{
  struct server s;
  enum iso_link_fail fail;
  char err[200];
  uint8_t buf[64];
  size_t len;

  server_start(&s, merchant_server_ctx(), 2000);
  SSL_CTX *c = client_ctx("ca", cert);
  struct iso_link *l = client_connect(&s, c, "paygw-credit-server", &fail, err, sizeof err);
  server_join(&s);
  bool linked_up = s.link != NULL;
  if (s.link) {
    snprintf(peer, peer_cap, "%s", iso_link_peer(s.link));
    snprintf(merchant, merchant_cap, "%s", iso_link_peer_merchant(s.link) ? iso_link_peer_merchant(s.link) : "");
  } else if (l) { /* TLS 1.3: refused at the client's first read */
    iso_link_send(l, (const uint8_t *)"0800", 4, 1000);
    assert_int_equal(iso_link_recv(l, buf, sizeof buf, &len, 2000), ISO_FRAME_CLOSED);
  }
  iso_link_close(l);
  SSL_CTX_free(c);
  server_end(&s);
  return linked_up;
}

static void a_merchants_pos_is_served_when_the_server_accepts_merchants(void **state)
{
  (void)state;
  char peer[64], merchant[32];

  assert_true(merchant_link("pos", peer, sizeof peer, merchant, sizeof merchant));
  assert_string_equal(peer, "merchant-1111111111");
  assert_string_equal(merchant, "1111111111");
  assert_true(merchant_link("gateway", peer, sizeof peer, merchant, sizeof merchant));
  assert_string_equal(peer, "paygw-gateway"); /* an acquirer stays an acquirer */
  assert_string_equal(merchant, "");
  assert_false(merchant_link("pos-two", peer, sizeof peer, merchant, sizeof merchant));    /* two merchants */
  assert_false(merchant_link("pos-long", peer, sizeof peer, merchant, sizeof merchant));   /* 16 characters */
  assert_false(merchant_link("pos-server", peer, sizeof peer, merchant, sizeof merchant)); /* no clientAuth */
  assert_false(merchant_link("stranger", peer, sizeof peer, merchant, sizeof merchant));
  /* a server that does not accept merchants refuses the POS */
  refused_by_server("ca", "pos", "hostname mismatch");
}

static void the_server_refuses_a_peer_without_its_certificate(void **state)
{
  (void)state;
  refused_by_server("ca", NULL, "peer did not return a certificate");
  refused_by_server("ca", "outsider", "unable to get local issuer certificate"); /* another CA */
  refused_by_server("ca", "server-only", "unsuitable certificate purpose");      /* serverAuth only */
  refused_by_server("ca", "no-eku", "unsuitable certificate purpose");           /* no extendedKeyUsage */
  refused_by_server("ca", "stranger", "hostname mismatch");                      /* an acquirer not served */
}

static void refused_by_client(const char *ca, const char *server_cert, const char *name, const char *why)
{
  struct server s;
  enum iso_link_fail fail = 0;
  char err[200];

  server_start(&s, server_ctx(server_cert, "paygw-gateway"), 2000);
  SSL_CTX *c = client_ctx(ca, "gateway");
  struct iso_link *l = client_connect(&s, c, name, &fail, err, sizeof err);
  server_join(&s);
  assert_null(l);
  assert_int_equal(fail, ISO_LINK_REFUSED);
  if (!strstr(err, why))
    fprintf(stderr, "client's reason: %s (expected %s)\n", err, why);
  assert_non_null(strstr(err, why));
  assert_null(s.link); /* the server saw the client's alert */
  SSL_CTX_free(c);
  server_end(&s);
}

static void the_acquirer_refuses_a_server_it_did_not_ask_for(void **state)
{
  (void)state;
  refused_by_client("ca", "server", "paygw-somebody-else", "hostname mismatch");
  refused_by_client("ca", "other-server", "paygw-credit-server", "certificate verify failed");
  refused_by_client("ca", "server", "127.0.0.2", "IP address mismatch");

  /* no name given: the host of the address, here an IP address the certificate carries */
  struct server s;
  enum iso_link_fail fail;
  char err[200];
  server_start(&s, server_ctx("server", "paygw-gateway"), 2000);
  SSL_CTX *c = client_ctx("ca", "gateway");
  struct iso_link *l = client_connect(&s, c, NULL, &fail, err, sizeof err);
  server_join(&s);
  assert_non_null(l);
  assert_string_equal(iso_link_peer(l), "127.0.0.1");
  iso_link_close(l);
  SSL_CTX_free(c);
  server_end(&s);
}

static void a_handshake_never_completed_times_out(void **state)
{
  (void)state;
  struct server s;
  struct timespec t0;
  char addr[32];

  /* a TCP peer that sends nothing: the server gives up after its time-out */
  server_start(&s, server_ctx("server", "paygw-gateway"), 300);
  snprintf(addr, sizeof addr, "127.0.0.1:%d", s.port);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int fd = iso_connect(addr, 1000);
  assert_true(fd >= 0);
  server_join(&s);
  long ms = elapsed_ms(&t0);
  assert_null(s.link);
  assert_int_equal(s.fail, ISO_LINK_HANDSHAKE_TIMEOUT);
  assert_true(ms >= 250 && ms < 1500);
  close(fd);
  server_end(&s);

  /* a server that accepts TCP and never answers the ClientHello */
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t sl = sizeof sa;
  assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(lfd, 4), 0);
  getsockname(lfd, (struct sockaddr *)&sa, &sl);
  snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(sa.sin_port));
  SSL_CTX *c = client_ctx("ca", "gateway");
  enum iso_link_fail fail;
  char err[200];
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct iso_link *l = iso_link_connect(c, addr, "paygw-credit-server", 300, &fail, err, sizeof err);
  ms = elapsed_ms(&t0);
  assert_null(l);
  assert_int_equal(fail, ISO_LINK_HANDSHAKE_TIMEOUT);
  assert_true(ms >= 250 && ms < 1500);
  close(lfd);
  SSL_CTX_free(c);
}

/* A linked pair for the tests below: *client and s->link. */
static void linked(struct server *s, SSL_CTX *server, SSL_CTX *client, struct iso_link **l)
{
  enum iso_link_fail fail;
  char err[200];
  server_start(s, server, 2000);
  *l = client_connect(s, client, "paygw-credit-server", &fail, err, sizeof err);
  server_join(s);
  assert_non_null(*l);
  assert_non_null(s->link);
}

static void a_kept_link_is_usable_until_the_server_ends_it(void **state)
{
  (void)state;
  struct server s;
  struct iso_link *l;
  SSL_CTX *c = client_ctx("ca", "gateway");
  uint8_t buf[64];
  size_t len;
  struct timespec t0;

  /* a silent server: a read times out; the link stays usable */
  linked(&s, server_ctx("server", "paygw-gateway"), c, &l);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(iso_link_recv(l, buf, sizeof buf, &len, 200), ISO_FRAME_TIMEOUT);
  assert_true(elapsed_ms(&t0) >= 150);
  assert_true(iso_link_usable(l));
  /* unasked-for data waits: not usable */
  assert_int_equal(iso_link_send(s.link, (const uint8_t *)"0110", 4, 1000), ISO_FRAME_OK);
  usleep(50000);
  assert_false(iso_link_usable(l));
  iso_link_close(l);
  server_end(&s);

  /* the server's close_notify (what the credit server sends when it ends a link) */
  linked(&s, server_ctx("server", "paygw-gateway"), c, &l);
  iso_link_close(s.link);
  s.link = NULL;
  usleep(50000);
  assert_false(iso_link_usable(l));
  iso_link_close(l);
  server_end(&s);

  /* a FIN without close_notify (a crashed server) */
  linked(&s, server_ctx("server", "paygw-gateway"), c, &l);
  shutdown(iso_link_fd(s.link), SHUT_RDWR);
  usleep(50000);
  assert_false(iso_link_usable(l));
  /* ... and sending to it fails without a SIGPIPE (which would end this test) */
  int rc = ISO_FRAME_OK;
  for (int i = 0; i < 20 && rc == ISO_FRAME_OK; i++)
    rc = iso_link_send(l, (const uint8_t *)"0800", 4, 200);
  assert_int_equal(rc, ISO_FRAME_CLOSED);
  iso_link_close(l);
  server_end(&s);
  SSL_CTX_free(c);
}

static void records_without_data_keep_a_link_usable(void **state)
{
  (void)state;
  struct server s;
  struct iso_link *l;
  SSL_CTX *c = client_ctx("ca", "gateway");
  SSL_CTX *ticketing = server_ctx("server", "paygw-gateway");
  uint8_t buf[64];
  size_t len;

  /* another server implementation may send TLS 1.3 session tickets after
   * the handshake: bytes on the socket, but no data */
  SSL_CTX_set_num_tickets(ticketing, 2);
  linked(&s, ticketing, c, &l);
  usleep(50000);
  assert_true(iso_link_usable(l));
  assert_true(iso_link_usable(l));
  assert_int_equal(iso_link_send(s.link, (const uint8_t *)"0810", 4, 1000), ISO_FRAME_OK);
  assert_int_equal(iso_link_recv(l, buf, sizeof buf, &len, 1000), ISO_FRAME_OK);
  assert_memory_equal(buf, "0810", 4);
  iso_link_close(l);
  server_end(&s);
  SSL_CTX_free(c);
}

static void contexts_refuse_missing_or_wrong_files(void **state)
{
  (void)state;
  char err[200];

  assert_null(iso_tls_client_ctx(NULL, NULL, NULL, err, sizeof err));
  assert_null(iso_tls_client_ctx(file("nothing", "crt"), NULL, NULL, err, sizeof err));
  assert_null(iso_tls_client_ctx(file("ca", "crt"), file("gateway", "crt"), file("stranger", "key"), err, sizeof err));
  assert_non_null(strstr(err, "mismatch"));
  assert_null(
      iso_tls_server_ctx(file("ca", "crt"), file("server", "crt"), file("server", "key"), " ,", err, sizeof err));
  assert_non_null(strstr(err, "no acquirer"));
  assert_null(iso_tls_server_ctx(file("ca", "crt"), file("server", "crt"), NULL, "paygw-gateway", err, sizeof err));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(frames_travel_both_ways_inside_mutual_tls),
    cmocka_unit_test(the_server_refuses_a_peer_without_its_certificate),
    cmocka_unit_test(a_merchants_pos_is_served_when_the_server_accepts_merchants),
    cmocka_unit_test(the_acquirer_refuses_a_server_it_did_not_ask_for),
    cmocka_unit_test(a_handshake_never_completed_times_out),
    cmocka_unit_test(a_kept_link_is_usable_until_the_server_ends_it),
    cmocka_unit_test(records_without_data_keep_a_link_usable),
    cmocka_unit_test(contexts_refuse_missing_or_wrong_files),
  };
  return cmocka_run_group_tests(tests, make_all, remove_all);
}
