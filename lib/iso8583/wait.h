/* wait.h — inside lib/iso8583 only: the monotonic clock and the poll()
 * wait that frame.c and tls.c share, so every time-out is counted the same
 * way (what is left of one deadline). */
#ifndef PAYGW_ISO8583_WAIT_H
#define PAYGW_ISO8583_WAIT_H

/* Milliseconds on the monotonic clock. */
long iso_now_ms(void);

/* Waits for `events` on fd until `deadline` (iso_now_ms() time): 1 ready
 * (or hung up: the next read or write says how), 0 time-out, -1 error. */
int iso_wait_fd(int fd, short events, long deadline);

#endif
