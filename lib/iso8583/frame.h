/* frame.h — ISO 8583 messages on a stream: each message is preceded by its
 * length as 2 bytes, big-endian.  The functions here frame on plain blocking
 * TCP sockets with poll()-based time-outs; the link between the gateway and
 * the credit server carries the same frames inside mutual TLS (tls.h), and
 * the credit server cuts them out of what it reads with iso_frame_parse. */
#ifndef PAYGW_ISO8583_FRAME_H
#define PAYGW_ISO8583_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum iso_frame_status {
  ISO_FRAME_OK = 0,
  ISO_FRAME_CLOSED = -1, /* peer closed, or a socket error */
  ISO_FRAME_TIMEOUT = -2,
  ISO_FRAME_TOO_LONG = -3, /* header announces more than the caller's buffer or ISO8583_MAX_MESSAGE */
};

/* Connects to "host:port" (numeric IPv4/IPv6 or a name) within timeout_ms.
 * Returns a blocking socket with TCP_NODELAY, or -1. */
int iso_connect(const char *host_port, int timeout_ms);

/* Writes header + message completely within timeout_ms. */
int iso_frame_send(int fd, const uint8_t *msg, size_t len, int timeout_ms);

/* Reads one framed message into buf within timeout_ms. */
int iso_frame_recv(int fd, uint8_t *buf, size_t cap, size_t *len, int timeout_ms);

/* For event loops: given `avail` buffered bytes, returns the total bytes of
 * the first complete frame (header included) and sets *body and *body_len, 0 when
 * more bytes are needed, or ISO_FRAME_TOO_LONG. */
long iso_frame_parse(const uint8_t *buf, size_t avail, const uint8_t **body, size_t *body_len);

#endif
