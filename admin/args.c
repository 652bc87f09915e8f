/* args.c — getopt_long over a command's option table (see args.h). */
#include "args.h"

#include "common/pan.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#define OPT_HELP 'h'
#define OPT_BASE 1000

static int build_long_options(const struct opt_spec *spec, struct option *lo)
{
  int n = 0;

  for (; spec[n].name && n < ARGS_MAX; n++)
    lo[n] = (struct option){ spec[n].name, required_argument, NULL, OPT_BASE + n };
  lo[n] = (struct option){ "help", no_argument, NULL, OPT_HELP };
  lo[n + 1] = (struct option){ 0 };
  return n;
}

#define NOT_SHOWN "(not shown)"
#define CARD_DIGITS_MIN PAN_MIN_LEN /* the shortest card number */

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static int digits_in(const char *s, size_t len)
{
  int n = 0;

  for (size_t i = 0; i < len && s[i]; i++)
    n += is_digit(s[i]);
  return n;
}

const char *shown(const char *s)
{
  if (!s)
    return "";
  return digits_in(s, strlen(s)) >= CARD_DIGITS_MIN ? NOT_SHOWN : s;
}

void redact_card_numbers(char *text)
{
  char *p = text;

  while (*p) {
    size_t digits, run = pan_digit_run(p, &digits);
    char *end = p + run;
    if (digits < CARD_DIGITS_MIN) {
      p = run ? end : p + 1;
      continue;
    }
    /* NOT_SHOWN (11 bytes) is never longer than the run it replaces */
    size_t tail = strlen(end) + 1;
    memcpy(p, NOT_SHOWN, strlen(NOT_SHOWN));
    memmove(p + strlen(NOT_SHOWN), end, tail);
    p += strlen(NOT_SHOWN);
  }
}

/* The message for the option getopt_long refused (argv[optind - 1]),
 * naming the option but never its value (it might be a card number), nor
 * its name when that might be one (--4111111111111111). */
static void refused_option(int argc, char **argv, int c, char *err, size_t errlen)
{
  const char *arg = optind - 1 < argc ? argv[optind - 1] : "?";
  int name_len = (int)strcspn(arg, "=");

  if (digits_in(arg, (size_t)name_len) >= CARD_DIGITS_MIN) {
    arg = NOT_SHOWN;
    name_len = (int)strlen(arg);
  }
  if (name_len > 40)
    name_len = 40;
  if (c == ':')
    snprintf(err, errlen, "option %.*s needs a value", name_len, arg);
  else
    snprintf(err, errlen, "unknown option %.*s (see --help)", name_len, arg);
}

/* A stray argument is echoed only when it cannot be a card number. */
static void stray_argument(const char *arg, char *err, size_t errlen)
{
  if (shown(arg) != arg)
    snprintf(err, errlen, "unexpected argument (not shown; card numbers and passwords are read from standard input)");
  else
    snprintf(err, errlen, "unexpected argument '%.40s' (options are written --name VALUE)", arg);
}

enum args_result args_parse(const struct opt_spec *spec, int argc, char **argv, const char *values[ARGS_MAX], char *err,
                            size_t errlen)
{
  struct option lo[ARGS_MAX + 2];
  int n = build_long_options(spec, lo), c;

  memset(values, 0, ARGS_MAX * sizeof values[0]);
  optind = 0; /* glibc: start afresh, so a second parse works */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "+:h", lo, NULL)) != -1) {
    if (c == OPT_HELP)
      return ARGS_HELP;
    if (c < OPT_BASE || c >= OPT_BASE + n) {
      refused_option(argc, argv, c, err, errlen);
      return ARGS_ERROR;
    }
    if (values[c - OPT_BASE]) {
      snprintf(err, errlen, "option --%s is given twice", spec[c - OPT_BASE].name);
      return ARGS_ERROR;
    }
    values[c - OPT_BASE] = optarg;
  }
  if (optind < argc) {
    stray_argument(argv[optind], err, errlen);
    return ARGS_ERROR;
  }
  for (int i = 0; i < n; i++)
    if (spec[i].required && !values[i]) {
      snprintf(err, errlen, "option --%s is required", spec[i].name);
      return ARGS_ERROR;
    }
  return ARGS_OK;
}

void args_usage(FILE *out, const char *command, const char *summary, const struct opt_spec *spec)
{
  fprintf(out, "usage: paygw-admin %s", command);
  for (int i = 0; spec[i].name; i++)
    fprintf(out, spec[i].required ? " --%s %s" : " [--%s %s]", spec[i].name, spec[i].metavar);
  fprintf(out, "\n\n%s\n", summary);
  if (spec[0].name)
    fputs("\noptions:\n", out);
  for (int i = 0; spec[i].name; i++)
    fprintf(out, "  --%-16s %s%s\n", spec[i].name, spec[i].help, spec[i].required ? "" : " (optional)");
  fputs("  --help             show this text\n", out);
}
