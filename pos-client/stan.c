/* stan.c — the POS's STAN counter and in-flight marks (stan.h), with Linux
 * open file description locks (F_OFD_*): unlike classic POSIX locks they
 * are not dropped when some other descriptor of the file is closed, and
 * they conflict between two opens in one process as between processes. */
#include "pos-client/stan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COUNTER_WIDTH 6 /* "000042": the file's text, at offset 0 */

static int lock_byte(int fd, short type, off_t at, bool wait)
{
  struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = at, .l_len = 1, .l_pid = 0 };
  int rc;

  while ((rc = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl)) != 0 && errno == EINTR)
    ;
  return rc;
}

int stan_open(struct pos_stan *st, const char *journal, char *err, size_t errlen)
{
  snprintf(st->path, sizeof st->path, "%s.stan", journal);
  st->fd = open(st->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (st->fd < 0) {
    snprintf(err, errlen, "cannot open the STAN counter %s: %s", st->path, strerror(errno));
    return -1;
  }
  return 0;
}

/* The counter's value: 0 for a new (empty) file. */
static long read_counter(int fd)
{
  char text[COUNTER_WIDTH + 1] = "";
  ssize_t n = pread(fd, text, COUNTER_WIDTH, 0);
  char *end;

  if (n <= 0)
    return 0;
  text[n] = '\0';
  long v = strtol(text, &end, 10);
  return end == text || v < 0 || (unsigned long)v > STAN_MAX ? -1 : v;
}

int stan_next(struct pos_stan *st, unsigned long *stan, char *err, size_t errlen)
{
  char text[COUNTER_WIDTH + 2];
  int rc = -1;

  if (lock_byte(st->fd, F_WRLCK, 0, true) != 0) {
    snprintf(err, errlen, "cannot lock the STAN counter %s: %s", st->path, strerror(errno));
    return -1;
  }
  long last = read_counter(st->fd);
  if (last < 0) {
    snprintf(err, errlen, "the STAN counter %s is corrupt", st->path);
  } else {
    /* skip a number whose sale is still in flight (after a wrap) */
    unsigned long next = (unsigned long)last;
    int tries = 0;
    do
      next = next >= STAN_MAX ? 1 : next + 1;
    while (stan_hold(st, next) != 0 && ++tries < 1000);
    snprintf(text, sizeof text, "%0*lu\n", COUNTER_WIDTH, next);
    if (tries >= 1000)
      snprintf(err, errlen, "no free STAN: a thousand sales are in flight");
    else if (pwrite(st->fd, text, strlen(text), 0) != (ssize_t)strlen(text) || fdatasync(st->fd) != 0)
      snprintf(err, errlen, "cannot write the STAN counter %s: %s", st->path, strerror(errno));
    else
      rc = 0;
    if (rc == 0)
      *stan = next;
    else if (tries < 1000)
      stan_release(st, next);
  }
  lock_byte(st->fd, F_UNLCK, 0, false);
  return rc;
}

int stan_hold(struct pos_stan *st, unsigned long stan)
{
  return lock_byte(st->fd, F_WRLCK, (off_t)stan + COUNTER_WIDTH + 1, false) == 0 ? 0 : -1;
}

void stan_release(struct pos_stan *st, unsigned long stan)
{
  lock_byte(st->fd, F_UNLCK, (off_t)stan + COUNTER_WIDTH + 1, false);
}

void stan_close(struct pos_stan *st)
{
  if (st->fd >= 0)
    close(st->fd);
  st->fd = -1;
}
