/* prompt.h — questions on the terminal for the interactive clients: one line
 * read from stdin, with echo turned off for passwords when stdin is a tty. */
#ifndef PAYGW_PROMPT_H
#define PAYGW_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

/* True when stdin is a terminal (a person can answer). */
bool prompt_is_interactive(void);

/* Prints question to stdout, reads one line (without its newline) into buf.
 * With echo false and a tty, what is typed is not shown.  Returns 0, or -1
 * at end of input. */
int prompt_line(const char *question, bool echo, char *buf, size_t len);

#endif
