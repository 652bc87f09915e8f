/* tls.h — the ISO 8583 link under mutual TLS (docs/iso8583.md, "The link"):
 * the frames of frame.h (2-byte big-endian length, then the message) carried
 * inside TLS 1.2 or 1.3, ECDHE with AES-GCM or ChaCha20-Poly1305 only, both
 * ends presenting a certificate of a CA they trust.  The acquirer (the
 * gateway, the test tools) is the TLS client, the credit server the TLS
 * server.  Sockets are non-blocking inside; every wait is a poll() with what
 * is left of the caller's time-out, so a silent peer costs at most that
 * long.  No call raises SIGPIPE.  A link is used by one thread at a time
 * (the credit server takes a lock around each call). */
#ifndef PAYGW_ISO8583_TLS_H
#define PAYGW_ISO8583_TLS_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why a link could not be made. */
enum iso_link_fail {
  ISO_LINK_NO_CONNECTION = 1, /* no TCP connection (no address, refused, time-out) */
  ISO_LINK_REFUSED,           /* the TLS handshake failed: a certificate, version or suite refused */
  ISO_LINK_HANDSHAKE_TIMEOUT, /* the handshake was not completed in time */
  ISO_LINK_CLOSED_EARLY,      /* the peer closed before sending a byte (a port probe) */
};

struct iso_link;

/* The acquirer's context: checks the credit server's certificate against
 * ca_file and presents cert_file (PEM, leaf first) with key_file.  cert_file
 * and key_file NULL: no client certificate (test tools only, to see the
 * refusal).  Returns NULL with the reason in err (never key material). */
SSL_CTX *iso_tls_client_ctx(const char *ca_file, const char *cert_file, const char *key_file, char *err, size_t errlen);

/* The credit server's context: presents cert_file with key_file and
 * requires of every peer a certificate that chains to ca_file, carries
 * extendedKeyUsage clientAuth, and names in its subjectAltName (DNS) one of
 * `acquirers` (names separated by spaces or commas; no wildcards); anything
 * else is refused in the handshake.  Free with iso_tls_ctx_free. */
SSL_CTX *iso_tls_server_ctx(const char *ca_file, const char *cert_file, const char *key_file, const char *acquirers,
                            char *err, size_t errlen);

/* The second embodiment (docs/iso8583.md, "Token sales"): a server context
 * that also accepts a merchant's POS — a certificate of the same CA, with
 * clientAuth, whose subjectAltName names exactly one DNS:merchant-<code>
 * (code: 1-15 of [0-9A-Za-z], field 42's merchant code).  Whether the
 * issuer takes that merchant is the server's to check after the handshake
 * (iso_link_peer_merchant).  An acquirer's name wins when a certificate
 * names both.  Returns 0 or -1. */
#define ISO_TLS_MERCHANT_PREFIX "merchant-"
#define ISO_TLS_MERCHANT_CODE_MAX 15
int iso_tls_server_accept_merchants(SSL_CTX *ctx);

void iso_tls_ctx_free(SSL_CTX *ctx);

/* Connects to "host:port" and completes the handshake, all within
 * timeout_ms.  The server's certificate must name server_name (NULL: the
 * host of host_port; an IP address is matched against the certificate's IP
 * addresses).  Returns the link, or NULL with *fail and the reason in err. */
struct iso_link *iso_link_connect(SSL_CTX *ctx, const char *host_port, const char *server_name, int timeout_ms,
                                  enum iso_link_fail *fail, char *err, size_t errlen);

/* The credit server's side of the handshake on an accepted socket, within
 * timeout_ms.  Takes fd: on failure it is closed, and NULL is returned with
 * *fail and the reason in err. */
struct iso_link *iso_link_accept(SSL_CTX *ctx, int fd, int timeout_ms, enum iso_link_fail *fail, char *err,
                                 size_t errlen);

/* As iso_frame_send / iso_frame_recv (frame.h), inside TLS, with the same
 * ISO_FRAME_* results.  After anything but ISO_FRAME_OK, close the link. */
int iso_link_send(struct iso_link *l, const uint8_t *msg, size_t len, int timeout_ms);
int iso_link_recv(struct iso_link *l, uint8_t *buf, size_t cap, size_t *len, int timeout_ms);

/* Writes bytes as they are (no frame header) inside TLS: test tools only. */
int iso_link_send_raw(struct iso_link *l, const uint8_t *bytes, size_t len, int timeout_ms);

/* For a poll() loop (the credit server): reads what has arrived into buf
 * without waiting.  Returns the bytes read, 0 when none are ready yet (part
 * of a record, or a record carrying no data), -1 when the link is over
 * (closed, close_notify, an alert or a broken record). */
long iso_link_read_some(struct iso_link *l, uint8_t *buf, size_t cap);

/* True when bytes wait inside TLS: data already decrypted (read it before
 * polling the socket again) or part of a record. */
bool iso_link_pending(const struct iso_link *l);
bool iso_link_partial(const struct iso_link *l);

/* True when a kept link can carry the next message: the peer has not closed
 * it (no FIN, no close_notify, no alert) and no unasked-for data waits.
 * Records that carry no data (a session ticket, a key update) are consumed
 * and do not make it unusable.  Never waits. */
bool iso_link_usable(struct iso_link *l);

int iso_link_fd(const struct iso_link *l);

/* Server side: the acquirer name the peer's certificate matched, or
 * "merchant-<code>" for a merchant's POS.  Client side: the name the
 * server's certificate was checked for. */
const char *iso_link_peer(const struct iso_link *l);

/* Server side: the merchant code when the peer is a merchant's POS, else
 * NULL (an acquirer, or a client-side link). */
const char *iso_link_peer_merchant(const struct iso_link *l);
const char *iso_link_version(const struct iso_link *l); /* "TLSv1.3" */
const char *iso_link_cipher(const struct iso_link *l);

/* Why the last call failed, or "" (an alert, "closed by the peer", ...). */
const char *iso_link_error(const struct iso_link *l);

/* Sends close_notify when the link is sound (never waits), frees the link
 * and closes its socket.  NULL is allowed. */
void iso_link_close(struct iso_link *l);

#endif
