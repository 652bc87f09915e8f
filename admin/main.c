/* main.c — paygw-admin, the enrolment tool (the patent's administrator's
 * keyboard, [0048]): the command table below is the whole CLI; each command
 * lives in cmd_<entity>.c and runs as one database transaction.
 * Exit status: 0 ok, 2 invalid input (nothing changed), 1 other failure. */
#include "admin.h"

#include "common/log.h"

#include <stdio.h>
#include <string.h>

static const struct command commands[] = {
  { "issuer", "add", cmd_issuer_add_opts, cmd_issuer_add, "Adds a credit company (fig 9)." },
  { "issuer", "list", cmd_issuer_list_opts, cmd_issuer_list, "Lists the issuers." },
  { "issuer", "disable", cmd_issuer_disable_opts, cmd_issuer_disable, "Disables an issuer." },
  { "range", "add", cmd_range_add_opts, cmd_range_add, "Adds an issuer's card-number range (prefixes, fig 9)." },
  { "range", "list", cmd_range_list_opts, cmd_range_list, "Lists the card-number ranges." },
  { "merchant", "add", cmd_merchant_add_opts, cmd_merchant_add, "Adds a merchant and its shop name (fig 10)." },
  { "merchant", "list", cmd_merchant_list_opts, cmd_merchant_list, "Lists the merchants." },
  { "merchant", "disable", cmd_merchant_disable_opts, cmd_merchant_disable, "Disables a merchant." },
  { "merchant", "webhook set", cmd_merchant_webhook_set_opts, cmd_merchant_webhook_set,
    "Sets the URL the ends of the merchant's payments are POSTed to (docs/webhooks.md); the first time, prints the "
    "new signing secret whsec_... once, as the only line on stdout." },
  { "merchant", "webhook rotate-secret", cmd_merchant_webhook_rotate_opts, cmd_merchant_webhook_rotate,
    "Gives the merchant's webhooks a new signing secret, printed once as the only line on stdout; the old one "
    "stops signing at once." },
  { "merchant", "webhook show", cmd_merchant_webhook_show_opts, cmd_merchant_webhook_show,
    "Shows the merchant's webhook URL, when its secret was made (never the secret) and its events by status." },
  { "terminal", "add", cmd_terminal_add_opts, cmd_terminal_add,
    "Adds a POS terminal; prints its credential <code>.<secret> once, as the only line on stdout." },
  { "terminal", "rotate", cmd_terminal_rotate_opts, cmd_terminal_rotate,
    "Gives a terminal a new credential, printed once as the only line on stdout; the old one stops working." },
  { "terminal", "list", cmd_terminal_list_opts, cmd_terminal_list, "Lists the terminals (never credentials)." },
  { "terminal", "disable", cmd_terminal_disable_opts, cmd_terminal_disable, "Disables a terminal." },
  { "method", "set", cmd_method_set_opts, cmd_method_set,
    "Sets the payment methods a merchant takes for an issuer's cards (fig 10)." },
  { "method", "list", cmd_method_list_opts, cmd_method_list, "Lists the merchant x issuer payment methods." },
  { "subscriber", "add", cmd_subscriber_add_opts, cmd_subscriber_add, "Adds a subscriber." },
  { "subscriber", "list", cmd_subscriber_list_opts, cmd_subscriber_list, "Lists the subscribers." },
  { "subscriber", "disable", cmd_subscriber_disable_opts, cmd_subscriber_disable, "Disables a subscriber." },
  { "device", "add", cmd_device_add_opts, cmd_device_add,
    "Adds a handset and generates its Ed25519 key pair (private key to --key-out)." },
  { "device", "list", cmd_device_list_opts, cmd_device_list, "Lists the handsets." },
  { "device", "disable", cmd_device_disable_opts, cmd_device_disable, "Disables a handset." },
  { "card", "add", cmd_card_add_opts, cmd_card_add,
    "Adds a card; reads the card number as one line on standard input; prints 'card <id> <masked>'." },
  { "card", "list", cmd_card_list_opts, cmd_card_list, "Lists the cards (masked)." },
  { "card", "update", cmd_card_update_opts, cmd_card_update,
    "Gives a renewed card (same number) its new expiry; a passed expiry is refused." },
  { "card", "disable", cmd_card_disable_opts, cmd_card_disable, "Disables a card." },
  { "cards", "reencrypt", cmd_cards_reencrypt_opts, cmd_cards_reencrypt,
    "Re-encrypts every card stored under an older data key with the current one, in batches of short transactions." },
  { "keys", "generate", cmd_keys_generate_opts, cmd_keys_generate,
    "Creates new key files (card keys, the issuer's card keys, the message-signing key), each 0600, never over a "
    "file." },
  { "keys", "rotate", cmd_keys_rotate_opts, cmd_keys_rotate,
    "Adds a new data key to PAYGW_CARD_KEY_FILE (then restart the workers and run cards reencrypt)." },
  { "user", "add", cmd_user_add_opts, cmd_user_add,
    "Adds a user ID for one card and handset; reads the password (8+ characters) as one line on standard input." },
  { "user", "list", cmd_user_list_opts, cmd_user_list, "Lists the user IDs." },
  { "user", "disable", cmd_user_disable_opts, cmd_user_disable, "Disables a user ID." },
  { "user", "unlock", cmd_user_unlock_opts, cmd_user_unlock,
    "Clears a user ID's failed sign-in count and lock (set by the HTML history's sign-in)." },
  { "user", "set-web-password", cmd_user_set_web_password_opts, cmd_user_set_web_password,
    "Sets a user ID's password for the HTML history (12+ characters, one line on standard input); ends its "
    "sessions there." },
  { "uim", "write", cmd_uim_write_opts, cmd_uim_write, "Writes a handset's UIM store (docs/uim-store.md)." },
  { "demo", NULL, cmd_demo_opts, cmd_demo,
    "Loads the demo data of figures 7, 9 and 10 and writes terminal credentials, device keys and UIM stores; "
    "once loaded, re-issues whichever of those files is missing or no longer matches." },
  { 0 },
};

static bool is_help(const char *arg)
{
  return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

/* Lists the commands of one entity, or all when entity is NULL. */
static void list_commands(FILE *out, const char *entity)
{
  if (!entity)
    fputs("usage: paygw-admin <command> [--option VALUE ...]   (paygw-admin <command> --help for its options)\n\n"
          "Enrolment for the paygw payment gateway.  Database: PAYGW_ADMIN_DB_URI (or PAYGW_DB_URI);\n"
          "card keys: PAYGW_CARD_KEY_FILE.  Exit status: 0 ok, 2 invalid input (nothing changed), 1 failure.\n\n"
          "commands:\n",
          out);
  for (const struct command *c = commands; c->entity; c++) {
    char name[48];
    if (entity && strcmp(entity, c->entity) != 0)
      continue;
    snprintf(name, sizeof name, "%s %s", c->entity, c->verb ? c->verb : "");
    fprintf(out, "  %-20s %s\n", name, c->summary);
  }
}

static const struct command *find_command(const char *entity, const char *verb)
{
  for (const struct command *c = commands; c->entity; c++)
    if (strcmp(c->entity, entity) == 0 && (!c->verb || (verb && strcmp(c->verb, verb) == 0)))
      return c;
  return NULL;
}

static bool entity_exists(const char *entity)
{
  for (const struct command *c = commands; c->entity; c++)
    if (strcmp(c->entity, entity) == 0)
      return true;
  return false;
}

/* True when entity has verbs of two words starting with first ("webhook"
 * of "merchant webhook set"). */
static bool has_verb_group(const char *entity, const char *first)
{
  size_t n = strlen(first);

  for (const struct command *c = commands; c->entity; c++)
    if (strcmp(c->entity, entity) == 0 && c->verb && strncmp(c->verb, first, n) == 0 && c->verb[n] == ' ')
      return true;
  return false;
}

/* Lists the commands of entity whose verb starts with "first ". */
static void list_group(FILE *out, const char *entity, const char *first)
{
  size_t n = strlen(first);

  for (const struct command *c = commands; c->entity; c++)
    if (strcmp(c->entity, entity) == 0 && c->verb && strncmp(c->verb, first, n) == 0 && c->verb[n] == ' ')
      fprintf(out, "  %s %s  %s\n", c->entity, c->verb, c->summary);
}

/* Parses the command's options and runs it. */
static int run_command(const struct command *c, int argc, char **argv)
{
  const char *values[ARGS_MAX];
  char name[48], err[300];

  snprintf(name, sizeof name, "%s%s%s", c->entity, c->verb ? " " : "", c->verb ? c->verb : "");
  switch (args_parse(c->opts, argc, argv, values, err, sizeof err)) {
  case ARGS_HELP:
    args_usage(stdout, name, c->summary, c->opts);
    return ADMIN_OK;
  case ARGS_ERROR:
    return admin_invalid("%s: %s", name, err);
  case ARGS_OK:
    break;
  }
  return c->run(values);
}

int main(int argc, char **argv)
{
  log_init("paygw-admin");
  if (argc < 2 || is_help(argv[1])) {
    list_commands(argc < 2 ? stderr : stdout, NULL);
    return argc < 2 ? ADMIN_INVALID : ADMIN_OK;
  }
  if (!entity_exists(argv[1]))
    return admin_invalid("unknown command '%.40s' (see paygw-admin --help)", shown(argv[1]));
  const struct command *c = find_command(argv[1], NULL);
  if (c && !c->verb)
    return run_command(c, argc - 1, argv + 1);
  if (argc < 3 || is_help(argv[2])) {
    fprintf(argc < 3 ? stderr : stdout, "usage: paygw-admin %s <verb> [--option VALUE ...]\n\n", argv[1]);
    list_commands(argc < 3 ? stderr : stdout, argv[1]);
    return argc < 3 ? ADMIN_INVALID : ADMIN_OK;
  }
  /* a verb of two words: "merchant webhook set"; "merchant webhook" alone
   * (or with --help) lists them */
  if (!find_command(argv[1], argv[2]) && has_verb_group(argv[1], argv[2]) && (argc < 4 || is_help(argv[3]))) {
    fprintf(argc < 4 ? stderr : stdout, "usage: paygw-admin %s %s <verb> [--option VALUE ...]\n\n", argv[1], argv[2]);
    list_group(argc < 4 ? stderr : stdout, argv[1], argv[2]);
    return argc < 4 ? ADMIN_INVALID : ADMIN_OK;
  }
  /* a verb of two words: "merchant webhook set" */
  if (argc >= 4 && argv[3][0] != '-') {
    char two[64];
    snprintf(two, sizeof two, "%s %s", argv[2], argv[3]);
    if ((c = find_command(argv[1], two)))
      return run_command(c, argc - 3, argv + 3);
  }
  if (!(c = find_command(argv[1], argv[2])))
    return admin_invalid("unknown command '%s %.40s' (see paygw-admin %s --help)", argv[1], shown(argv[2]), argv[1]);
  return run_command(c, argc - 2, argv + 2);
}
