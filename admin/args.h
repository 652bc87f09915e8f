/* args.h — option parsing for paygw-admin's commands: each command describes
 * its options as a table (name, value name, required, help), one function
 * parses argv against it with getopt_long and one prints the usage. */
#ifndef PAYGW_ADMIN_ARGS_H
#define PAYGW_ADMIN_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ARGS_MAX 10

/* One "--name VALUE" option; a table ends with { NULL }. */
struct opt_spec {
  const char *name;
  const char *metavar;
  bool required;
  const char *help;
};

enum args_result { ARGS_OK, ARGS_HELP, ARGS_ERROR };

/* Parses argv[1..] (argv[0] is the command's name) against spec; values[i]
 * receives the value of spec[i] or NULL when absent.  Returns ARGS_HELP for
 * --help/-h, ARGS_ERROR with a message in err for an unknown, repeated or
 * missing option or a stray argument. */
enum args_result args_parse(const struct opt_spec *spec, int argc, char **argv,
                            const char *values[ARGS_MAX], char *err, size_t errlen);

/* Prints "usage: paygw-admin <command> --opt VALUE ..." and the options. */
void args_usage(FILE *out, const char *command, const char *summary, const struct opt_spec *spec);

#endif
