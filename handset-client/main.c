/* main.c — `handset`: the shopper's program (patent figures 12-17).
 *   handset [--store FILE] pay    authenticate locally and send the user ID to the POS
 *   handset [--store FILE] shop URL|CODE  the same, the user ID to an online shop; then pay its order
 *   handset [--store FILE] watch  poll the mailbox and run the payment application
 *   handset [--store FILE] cards  list the cards on this handset
 * Options and exit statuses: docs/handset.md. */
#include "handset-client/handset.h"
#include "common/config.h"
#include "proxlink/reach.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage_main = "usage: handset [--store FILE] COMMAND [options]\n"
                                      "\n"
                                      "The shopper's handset: it holds a UIM store (written by paygw-admin) with the\n"
                                      "user IDs, password hashes, device key and the gateway's address and keys.\n"
                                      "\n"
                                      "commands:\n"
                                      "  pay     pick a card, type user ID and password; on success send the user ID\n"
                                      "          to the shop's POS terminal over the proximity link\n"
                                      "  shop    the same, but the user ID goes to an online shop's order (its pay\n"
                                      "          URL or order code); then pay that order as watch does\n"
                                      "  watch   poll the gateway's mailbox and run the payment application for each\n"
                                      "          signed payment command (confirm, pick a method, see the result)\n"
                                      "  cards   list the cards on this handset\n"
                                      "\n"
                                      "  --store FILE   the UIM store (default $PAYGW_HANDSET_STORE); mode 0600\n"
                                      "  --help         this text; `handset COMMAND --help` for a command's options\n"
                                      "\n"
                                      "exit statuses: 0 done (sent / payment completed), 1 declined, canceled or\n"
                                      "failed, 2 usage or store error, 3 gateway, POS or shop unreachable or\n"
                                      "time-out, 4 authentication failed or needed again, 5 locked after too many\n"
                                      "attempts, 6 the online shop refused the user ID\n";

static const char *const usage_pay =
    "usage: handset [--store FILE] pay [options]\n"
    "\n"
    "Shows the cards (figure 13), asks for user ID and password (the password is\n"
    "not echoed), checks them against the store's argon2id hash, stores an\n"
    "authentication result and sends the user ID to the POS terminal.\n"
    "\n"
    "  --link ADDR        the POS terminal's proximity link: HOST:PORT or a Unix\n"
    "                     socket path (default $PAYGW_LINK)\n"
    "  --card N           the card to use (1-based, as listed); default: ask, or the\n"
    "                     card of --user\n"
    "  --user ID          the user ID (default: ask)\n"
    "  --password PW      the password (default $PAYGW_HANDSET_PASSWORD, else ask\n"
    "                     with echo off; --password shows in `ps`, prefer the variable)\n"
    "  --auth-ttl SEC     how long the authentication result lasts, 1-3600 (default\n"
    "                     3600: the gateway refuses results longer than an hour, [0074])\n"
    "\n"
    "After too many failed attempts the handset locks for a while; the limit and\n"
    "the lock time come from the UIM store (paygw-admin), by default 5 and 1800 s.\n"
    "\n"
    "exit: 0 sent, 2 usage/store, 3 POS not reachable, 4 authentication failed, 5 locked\n";

static const char *const usage_shop =
    "usage: handset [--store FILE] shop URL|CODE [options]\n"
    "\n"
    "Pays an online shop's order ([0119]). URL is the pay URL the shop's page and\n"
    "QR code show (https://HOST:PORT/shop/pay/CODE); CODE the order code alone\n"
    "(ABCD-EFGH, any case, dash optional), with the shop from --shop. Authenticates\n"
    "as `pay` does, sends the user ID to the shop over HTTPS (the shop verified\n"
    "against the store's CA), shows the shop's name, total and binding code, then\n"
    "runs the payment application for that order's transaction as `watch` does.\n"
    "\n"
    "  --shop URL               the shop of a bare CODE: https://HOST:PORT/shop/\n"
    "                           (default $PAYGW_SHOP_URL)\n"
    "  --card N, --user ID, --password PW, --auth-ttl SEC   as for `pay`\n"
    "  --agree | --decline      answer without asking (default: ask on the terminal)\n"
    "  --method M               L, I, B, pB or R (default: ask)\n"
    "  --installments N         the count for method I\n"
    "  --timeout SEC            the most to wait for the shop, the gateway, and the\n"
    "                           payment command (default 120, [0083]; $PAYGW_HANDSET_TIMEOUT)\n"
    "  --verbose                report every poll\n"
    "\n"
    "exit: 0 paid, 1 declined/canceled/failed, 2 usage/store (a URL that is not\n"
    "https or not a pay URL, a malformed code), 3 shop or gateway unreachable or\n"
    "time-out, 4 authentication failed, 5 locked, 6 the shop refused (unknown\n"
    "order, order not awaiting a user, the gateway refused the shop)\n";

static const char *const usage_watch =
    "usage: handset [--store FILE] watch [options]\n"
    "\n"
    "Polls the gateway's mailbox at the interval the gateway asks for. For a\n"
    "payment command whose signature verifies under the gateway's key in the store,\n"
    "runs the payment application: device authentication over TLS, the details\n"
    "(figure 16) with Agree / Not agree, the methods (figure 17), the result.\n"
    "Other messages are reported as ignored.\n"
    "\n"
    "  --agree | --decline      answer without asking (default: ask on the terminal);\n"
    "                           --not-agree is --decline\n"
    "  --method M               L, I, B, pB or R (default: ask)\n"
    "  --installments N         the count for method I\n"
    "  --once                   exit after one payment\n"
    "  --timeout SEC            give up when the gateway does not answer within this\n"
    "                           (default 120, [0083]; $PAYGW_HANDSET_TIMEOUT); until\n"
    "                           then a gateway that does not answer is said once and\n"
    "                           polled less and less often (at most every\n"
    "                           $PAYGW_CLIENT_BACKOFF_MAX s, default 30), and said\n"
    "                           once more when it answers again\n"
    "  --for SEC                stop watching after this long (default: never)\n"
    "  --verbose                report every poll\n"
    "  --password-fd N          a token confirmation's web password: the first line\n"
    "                           read from file descriptor N (default\n"
    "                           $PAYGW_WEB_PASSWORD, else ask with echo off)\n"
    "\n"
    "A token confirmation (second embodiment: the shop asks for an encrypted card\n"
    "number) shows the shop, items, total and binding code, asks Agree / Not agree\n"
    "and, on Agree, the user's web password (the history's), and sends the reply\n"
    "signed by the device key.\n"
    "\n"
    "exit: 0 completed (or token issued), 1 declined/canceled/failed, 2 usage/store,\n"
    "3 unreachable or time-out, 4 authenticate again (no live authentication\n"
    "result) or wrong web password, 5 user ID locked at the gateway\n";

static const char *const usage_cards =
    "usage: handset [--store FILE] cards\n\nLists the cards on this handset (figure 13).\n";

time_t handset_now(const struct handset_opts *o)
{
  return time(NULL) + o->clock_offset_s;
}

int handset_open_store(const struct handset_opts *o, struct uim_store *s)
{
  char err[1024];

  if (!o->store || !*o->store) {
    fprintf(stderr, "handset: no store: give --store FILE or set PAYGW_HANDSET_STORE\n");
    return EXIT_USAGE;
  }
  if (uim_load(o->store, s, err, sizeof err) != UIM_OK) {
    fprintf(stderr, "handset: %s\n", err);
    uim_free(s);
    return EXIT_USAGE;
  }
  return 0;
}

static int parse_long(const char *text, long min, long max, const char *what, long *out)
{
  char *end;
  long v = strtol(text, &end, 10);
  if (!*text || *end || v < min || v > max) {
    fprintf(stderr, "handset: %s must be a whole number %ld-%ld, got '%s'\n", what, min, max, text);
    return -1;
  }
  *out = v;
  return 0;
}

/* The gateway refuses an auth result spanning more than PAYGW_AUTH_RESULT_MAX
 * (one hour by default, [0074]); a longer one would only fail at payment
 * time, after the user ID has gone to the POS. */
#define AUTH_TTL_MAX 3600

static int parse_auth_ttl(const char *text, long *out)
{
  char *end;
  long v = strtol(text, &end, 10);
  if (*text && !*end && v > AUTH_TTL_MAX) {
    fprintf(stderr,
            "handset: --auth-ttl must be at most %d s: the gateway refuses an authentication result "
            "that lasts longer than an hour, got '%s'\n",
            AUTH_TTL_MAX, text);
    return -1;
  }
  return parse_long(text, 1, AUTH_TTL_MAX, "--auth-ttl", out);
}

enum {
  O_LINK = 1,
  O_CARD,
  O_USER,
  O_PASSWORD,
  O_TTL,
  O_SHOP,
  O_AGREE,
  O_DECLINE,
  O_METHOD,
  O_INST,
  O_ONCE,
  O_TIMEOUT,
  O_FOR,
  O_VERBOSE,
  O_PASSWORD_FD,
  O_HELP
};

/* One option a line: the formatter would pack a table this long in columns. */
/* clang-format off */
static const struct option command_options[] = {
  { "link", required_argument, NULL, O_LINK },
  { "card", required_argument, NULL, O_CARD },
  { "user", required_argument, NULL, O_USER },
  { "password", required_argument, NULL, O_PASSWORD },
  { "auth-ttl", required_argument, NULL, O_TTL },
  { "shop", required_argument, NULL, O_SHOP },
  { "agree", no_argument, NULL, O_AGREE },
  { "decline", no_argument, NULL, O_DECLINE },
  { "not-agree", no_argument, NULL, O_DECLINE },
  { "method", required_argument, NULL, O_METHOD },
  { "installments", required_argument, NULL, O_INST },
  { "once", no_argument, NULL, O_ONCE },
  { "timeout", required_argument, NULL, O_TIMEOUT },
  { "for", required_argument, NULL, O_FOR },
  { "verbose", no_argument, NULL, O_VERBOSE },
  { "password-fd", required_argument, NULL, O_PASSWORD_FD },
  { "help", no_argument, NULL, O_HELP },
  { NULL, 0, NULL, 0 },
};
/* clang-format on */

#define OPT(o) (1u << (o))
#define AUTH_OPTS (OPT(O_CARD) | OPT(O_USER) | OPT(O_PASSWORD) | OPT(O_TTL))
#define ANSWER_OPTS (OPT(O_AGREE) | OPT(O_DECLINE) | OPT(O_METHOD) | OPT(O_INST) | OPT(O_TIMEOUT) | OPT(O_VERBOSE))

/* The commands: their help, the options each takes (any other is refused,
 * so a typo does not pass silently) and how many arguments. */
static const struct command {
  const char *name;
  const char *usage;
  unsigned options;
  int args;
} commands[] = {
  { "pay", usage_pay, OPT(O_LINK) | AUTH_OPTS, 0 },
  { "shop", usage_shop, OPT(O_SHOP) | AUTH_OPTS | ANSWER_OPTS, 1 },
  { "watch", usage_watch, ANSWER_OPTS | OPT(O_ONCE) | OPT(O_FOR) | OPT(O_PASSWORD_FD), 0 },
  { "cards", usage_cards, 0, 0 },
  { NULL, NULL, 0, 0 },
};

/* --password-fd N: the web password is the first line read from file
 * descriptor N (a pipe from the test or a password manager), so it never
 * shows in `ps` or the environment. */
static int read_web_password(int fd, struct handset_opts *o)
{
  static char buf[257];
  size_t used = 0;
  ssize_t n;

  while (used < sizeof buf - 1 && (n = read(fd, buf + used, sizeof buf - 1 - used)) > 0)
    used += (size_t)n;
  buf[used] = '\0';
  buf[strcspn(buf, "\r\n")] = '\0';
  if (!buf[0]) {
    fprintf(stderr, "handset: --password-fd %d: no password could be read\n", fd);
    return -1;
  }
  o->web_password = buf;
  return 0;
}

/* One option of a command. */
static int take_option(int c, const struct command *cmd, struct handset_opts *o)
{
  long v;

  if (c == O_HELP) {
    fputs(cmd->usage, stdout);
    exit(EXIT_DONE);
  }
  if (c == '?' || c < O_LINK || c > O_PASSWORD_FD || !(cmd->options & OPT(c))) {
    if (c != '?')
      fprintf(stderr, "handset: that option does not belong to `%s`\n", cmd->name);
    fputs(cmd->usage, stderr);
    return -1;
  }
  switch (c) {
  case O_LINK:
    o->link = optarg;
    return 0;
  case O_CARD:
    if (parse_long(optarg, 1, UIM_MAX_USERS, "--card", &v))
      return -1;
    o->card = (int)v;
    return 0;
  case O_USER:
    o->user = optarg;
    return 0;
  case O_PASSWORD:
    o->password = optarg;
    return 0;
  case O_TTL:
    return parse_auth_ttl(optarg, &o->auth_ttl_s);
  case O_SHOP:
    o->shop_url = optarg;
    return 0;
  case O_AGREE:
    o->agree = 1;
    return 0;
  case O_DECLINE:
    o->agree = 0;
    return 0;
  case O_METHOD:
    o->method = optarg;
    return 0;
  case O_INST:
    return parse_long(optarg, 1, 99, "--installments", &o->installments);
  case O_ONCE:
    o->once = true;
    return 0;
  case O_TIMEOUT:
    return parse_long(optarg, 1, 3600, "--timeout", &o->timeout_s);
  case O_FOR:
    return parse_long(optarg, 1, 86400 * 365, "--for", &o->for_s);
  case O_VERBOSE:
    o->verbose = true;
    return 0;
  case O_PASSWORD_FD:
    if (parse_long(optarg, 0, 1023, "--password-fd", &v))
      return -1;
    return read_web_password((int)v, o);
  }
  return -1;
}

static void defaults(struct handset_opts *o)
{
  memset(o, 0, sizeof *o);
  o->store = config_str("PAYGW_HANDSET_STORE", NULL);
  o->link = config_str("PAYGW_LINK", NULL);
  o->password = config_str("PAYGW_HANDSET_PASSWORD", NULL);
  o->web_password = config_str("PAYGW_WEB_PASSWORD", NULL);
  o->shop_url = config_str("PAYGW_SHOP_URL", NULL);
  o->auth_ttl_s = 3600;
  o->agree = -1;
  o->timeout_s = config_long("PAYGW_HANDSET_TIMEOUT", 120, 1, 3600);
  o->clock_offset_s = config_long("PAYGW_HANDSET_CLOCK_OFFSET", 0, -86400, 86400);
  o->backoff_max_s = config_long("PAYGW_CLIENT_BACKOFF_MAX", GW_REACH_BACKOFF_MAX, 1, 300);
}

int main(int argc, char **argv)
{
  struct handset_opts o;
  int i = 1, c;

  setvbuf(stdout, NULL, _IOLBF, 0); /* tests and the demo read it line by line */
  defaults(&o);
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage_main, stdout);
      return EXIT_DONE;
    } else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
      o.store = argv[++i];
    } else if (strncmp(argv[i], "--store=", 8) == 0) {
      o.store = argv[i] + 8;
    } else {
      fprintf(stderr, "handset: unknown option %s\n%s", argv[i], usage_main);
      return EXIT_USAGE;
    }
  }
  if (i >= argc) {
    fputs(usage_main, stderr);
    return EXIT_USAGE;
  }
  const struct command *cmd = commands;
  while (cmd->name && strcmp(cmd->name, argv[i]) != 0)
    cmd++;
  if (!cmd->name) {
    fprintf(stderr, "handset: unknown command '%s'\n%s", argv[i], usage_main);
    return EXIT_USAGE;
  }
  optind = 1;
  while ((c = getopt_long(argc - i, argv + i, "", command_options, NULL)) != -1)
    if (take_option(c, cmd, &o) != 0)
      return EXIT_USAGE;
  int given = argc - i - optind;
  if (given != cmd->args) {
    if (given > cmd->args)
      fprintf(stderr, "handset: unexpected argument '%s'\n%s", argv[i + optind + cmd->args], cmd->usage);
    else
      fprintf(stderr, "handset: `%s` needs %s\n%s", cmd->name, "the pay URL or the order code", cmd->usage);
    return EXIT_USAGE;
  }
  if (strcmp(cmd->name, "pay") == 0)
    return cmd_pay(&o);
  if (strcmp(cmd->name, "shop") == 0)
    return cmd_shop(&o, argv[i + optind]);
  if (strcmp(cmd->name, "watch") == 0)
    return cmd_watch(&o);
  return cmd_cards(&o);
}
