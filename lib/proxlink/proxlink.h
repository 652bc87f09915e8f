/* proxlink.h — the proximity link: the stand-in for the patent's Bluetooth
 * hop from the handset to the POS (S2, [0064], [0124]).  One text line on a
 * loopback TCP port or a Unix socket; the protocol is in
 * docs/proximity-link.md:
 *     handset → POS:  PAYGW-LINK 1 USER <user_id>\n
 *     POS → handset:  OK\n   or   ERR <reason>\n
 * The POS listens, accepts ONE user ID per sale, and gives up after a
 * time-out.  Shared by handset-client/ and pos-client/. */
#ifndef PAYGW_PROXLINK_H
#define PAYGW_PROXLINK_H

#include <stdbool.h>
#include <stddef.h>

#define PROXLINK_USER_MAX 32  /* user IDs: 1-32 of [A-Za-z0-9_-] */
#define PROXLINK_LINE_MAX 128 /* longest request line accepted */
#define PROXLINK_ADDR_MAX 108 /* sun_path */
#define PROXLINK_VERSION 1

struct proxlink_addr {
  bool is_unix;
  char path[PROXLINK_ADDR_MAX]; /* Unix socket path */
  char host[64];                /* TCP host (numeric or localhost) */
  char port[8];
  /* set by proxlink_listen on a Unix socket: the file it created, so
   * proxlink_close removes only that one and never a later POS's socket */
  bool bound;
  unsigned long long bound_dev, bound_ino;
};

/* True when s is a well-formed user ID (1-32 of [A-Za-z0-9_-]). */
bool proxlink_user_id_ok(const char *s);

/* Parses "HOST:PORT" (TCP) or a path containing '/' (Unix socket).
 * Returns 0, or -1 with a reason in err. */
int proxlink_parse_addr(const char *text, struct proxlink_addr *out, char *err, size_t errlen);

/* Formats the handset's request line (with its newline) into buf.
 * Returns 0, or -1 when user_id is malformed or buf too small. */
int proxlink_format_request(const char *user_id, char *buf, size_t len);

/* Parses one request line (with or without its trailing newline).
 * Returns 0 and fills user_id, or -1 and points *reason at the ERR reason
 * the POS answers ("malformed", "unsupported version", "bad user id"). */
int proxlink_parse_request(const char *line, char user_id[PROXLINK_USER_MAX + 1], const char **reason);

/* Parses the POS's answer line: 0 for "OK", -1 for "ERR <reason>" (reason
 * copied into reason) or anything else ("malformed answer"). */
int proxlink_parse_reply(const char *line, char *reason, size_t len);

/* POS side: binds and listens on addr.  TCP: loopback only (127.0.0.0/8,
 * ::1); any other address is refused.  Unix socket: an existing socket that
 * answers a connect() belongs to a live POS and is refused ("link address
 * busy"); only a stale one (ECONNREFUSED) is replaced; the new one is mode
 * 0600 and its dev/inode are kept in addr.  Returns the socket, or -1 with
 * err. */
int proxlink_listen(struct proxlink_addr *addr, char *err, size_t errlen);

/* POS side: accepts connections on lfd until one sends a valid request
 * (answered OK) or timeout_ms passes; a bad request is answered ERR and the
 * wait goes on.  *interrupted, when given, ends the wait early when it turns
 * non-zero (a signal handler sets it).
 * Returns 0 with user_id filled, 1 on time-out or interruption, -1 on a
 * socket error (err). */
int proxlink_wait_user(int lfd, int timeout_ms, volatile int *interrupted, char user_id[PROXLINK_USER_MAX + 1],
                       char *err, size_t errlen);

/* Closes the listener and removes the Unix socket file, only when the file
 * at the path is still the one this listener created (dev/inode). */
void proxlink_close(int lfd, const struct proxlink_addr *addr);

/* Handset side: connects, sends the user ID, reads the answer.
 * Returns 0 when the POS answered OK, -1 with a reason in err. */
int proxlink_send_user(const struct proxlink_addr *addr, const char *user_id, int timeout_ms, char *err, size_t errlen);

#endif
