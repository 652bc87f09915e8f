/* prompt.c — terminal questions (prompt.h).  Echo is restored even when the
 * read fails, and when a signal (Ctrl-C, kill, Ctrl-Z) arrives during a
 * password read, so a password prompt never leaves the terminal silent. */
#include "proxlink/prompt.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const int guarded[] = { SIGINT, SIGTERM, SIGTSTP };
#define N_GUARDED (sizeof guarded / sizeof guarded[0])

/* What the handler needs: only touched between install and uninstall. */
static struct termios saved_tio, quiet_tio;
static struct sigaction previous[N_GUARDED];

static void on_signal_during_read(int sig);

static void install(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal_during_read;
  sa.sa_flags = SA_RESTART; /* after Ctrl-Z and fg the read goes on */
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < N_GUARDED; i++)
    sigaddset(&sa.sa_mask, guarded[i]);
  for (size_t i = 0; i < N_GUARDED; i++)
    sigaction(guarded[i], &sa, &previous[i]);
}

static void uninstall(void)
{
  for (size_t i = 0; i < N_GUARDED; i++)
    sigaction(guarded[i], &previous[i], NULL);
}

/* Puts the terminal back, then lets the signal do what it would have done
 * (end or stop the program).  A stopped program that is continued hides the
 * typing again.  Only async-signal-safe calls. */
static void on_signal_during_read(int sig)
{
  struct sigaction dfl;
  sigset_t one;

  tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  sigemptyset(&one);
  sigaddset(&one, sig);
  sigprocmask(SIG_UNBLOCK, &one, NULL);
  raise(sig); /* ends the program, or stops it (SIGTSTP) */
  /* continued after a stop: guard the read again */
  install();
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet_tio);
}

bool prompt_is_interactive(void)
{
  return isatty(STDIN_FILENO) == 1;
}

int prompt_line(const char *question, bool echo, char *buf, size_t len)
{
  bool restore = false;
  char *got;

  fputs(question, stdout);
  fflush(stdout);
  if (!echo && prompt_is_interactive() && tcgetattr(STDIN_FILENO, &saved_tio) == 0) {
    quiet_tio = saved_tio;
    quiet_tio.c_lflag &= ~(tcflag_t)ECHO;
    quiet_tio.c_lflag |= ECHONL;
    install(); /* before echo goes off, so no signal finds it off unguarded */
    restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet_tio) == 0;
    if (!restore)
      uninstall();
  }
  got = fgets(buf, (int)len, stdin);
  if (restore) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
    uninstall();
  }
  if (!got)
    return -1;
  buf[strcspn(buf, "\r\n")] = '\0';
  return 0;
}
