/* args.h — option parsing for paygw-admin's commands: each command describes
 * its options as a table (name, value name, required, help), one function
 * parses argv against it with getopt_long and one prints the usage. */
#ifndef PAYGW_ADMIN_ARGS_H
#define PAYGW_ADMIN_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ARGS_MAX 10

/* One "--name VALUE" option; a table ends with { 0 }. */
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
enum args_result args_parse(const struct opt_spec *spec, int argc, char **argv, const char *values[ARGS_MAX], char *err,
                            size_t errlen);

/* What a message may echo of a value the user gave: the value itself, or
 * "(not shown)" when it holds 12 or more digits (it might be a card number,
 * typed where something else was expected).  Every message and log line
 * that repeats a user's value passes it through this. */
const char *shown(const char *s);

/* Replaces, in place, every run of 12 or more digits in text (single spaces
 * or dashes between digit groups count as part of the run) with
 * "(not shown)" — the net under shown() for text paygw-admin does not
 * write itself, such as a database error quoting a value. */
void redact_card_numbers(char *text);

/* Prints "usage: paygw-admin <command> --opt VALUE ..." and the options. */
void args_usage(FILE *out, const char *command, const char *summary, const struct opt_spec *spec);

#endif
