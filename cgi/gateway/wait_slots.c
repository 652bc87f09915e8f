/* wait_slots.c — see wait_slots.h. */
#include "gateway/wait_slots.h"
#include "common/config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

/* Default: half the workers, so the other half always serve handsets. */
static long slot_count(void)
{
  long workers = config_long("PAYGW_WORKERS", 8, 1, 1024);
  return config_long("PAYGW_WAIT_SLOTS", workers / 2 > 0 ? workers / 2 : 1, 0, 1024);
}

int wait_slot_acquire(void)
{
  const char *dir = config_str("PAYGW_WAIT_SLOT_DIR", NULL);
  const char *var = config_str("PAYGW_VAR", NULL);
  char path[4096];
  long n = slot_count();

  for (long i = 0; i < n; i++) {
    if (dir)
      snprintf(path, sizeof path, "%s/wait-slot.%ld", dir, i);
    else if (var)
      snprintf(path, sizeof path, "%s/run/wait-slot.%ld", var, i);
    else
      return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
      return fd;
    close(fd);
  }
  return -1;
}

void wait_slot_release(int slot)
{
  if (slot >= 0)
    close(slot); /* closing drops the flock */
}
