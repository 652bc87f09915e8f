/* prompt.c — terminal questions (prompt.h).  Echo is restored even when the
 * read fails, so a password prompt never leaves the terminal silent. */
#include "proxlink/prompt.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

bool prompt_is_interactive(void)
{
  return isatty(STDIN_FILENO) == 1;
}

int prompt_line(const char *question, bool echo, char *buf, size_t len)
{
  struct termios saved, quiet;
  bool restore = false;
  char *got;

  fputs(question, stdout);
  fflush(stdout);
  if (!echo && prompt_is_interactive() && tcgetattr(STDIN_FILENO, &saved) == 0) {
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  got = fgets(buf, (int)len, stdin);
  if (restore)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  if (!got)
    return -1;
  buf[strcspn(buf, "\r\n")] = '\0';
  return 0;
}
