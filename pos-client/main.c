/* main.c — `pos`: the shop's POS terminal (patent figure 18).
 *   pos sale --item "name,qty,unit_price,tax"... | --file sale.txt
 *   pos token-sale ... [--method M]   the second embodiment (token_sale.c)
 *   pos token-void --key-id ID
 *   pos refund --transaction N --amount N [--reason TEXT] | --resume
 *   pos refunds --transaction N       refunds (refund_run.c)
 * Shows the sale, waits on the proximity link for ONE user ID, asks the
 * gateway for a transaction number (S3/S4, with an Idempotency-Key reused on
 * retry), keeps it with the sale ([0093]), waits for completion, prints the
 * receipt and appends the sale to the journal.  A gateway that does not
 * answer is reported once, asked again with back-off, and reported once
 * more when it answers (lib/proxlink/reach.h).  docs/pos.md. */
#include "pos-client/pos.h"
#include "proxlink/clientutil.h"
#include "proxlink/gwhttp.h"
#include "proxlink/proxlink.h"
#include "proxlink/reach.h"
#include "common/config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage =
    "usage: pos sale [options]\n"
    "       pos token-sale [options] [--method M] [--credit-timeout SEC]\n"
    "       pos token-void --key-id ID [--config FILE] [--journal FILE]\n"
    "       pos refund --transaction NUMBER --amount N [--reason TEXT] [options]\n"
    "       pos refund --resume [options]\n"
    "       pos refunds --transaction NUMBER [options]\n"
    "\n"
    "A sale at the counter: shows it (items, tax, total), waits on the proximity\n"
    "link for the shopper's user ID, asks the gateway for a transaction number,\n"
    "waits for the shopper to confirm on the handset, prints the receipt (or why\n"
    "the sale was not paid) and appends the sale to the sales journal.\n"
    "\n"
    "  --item \"NAME,QTY,UNIT_PRICE,TAX\"  one item (repeatable); prices and the line's\n"
    "                          tax in minor units (yen: whole yen)\n"
    "  --file FILE             items, one per line in the same form ('#' comments)\n"
    "  --currency CUR          JPY (default), USD, EUR or GBP\n"
    "  --reference REF         the sale's own reference, 1-64 characters of UTF-8\n"
    "                          (default: generated)\n"
    "  --listen ADDR           the proximity link: HOST:PORT or a Unix socket path\n"
    "                          (default $PAYGW_LINK, else 127.0.0.1:8600)\n"
    "  --link-timeout SEC      how long to wait for a user ID (default 120)\n"
    "  --wait-timeout SEC      how long to wait for the payment; then it is canceled\n"
    "                          (default 600)\n"
    "  --config FILE           key=value settings (gateway_url, ca, terminal, merchant,\n"
    "                          shop, listen, journal, currency, link_timeout, wait_timeout)\n"
    "  --merchant CODE         use PAYGW_TERMINAL_<CODE> (environment or\n"
    "                          $PAYGW_VAR/demo/terminals.env) as the credential\n"
    "  --shop NAME             the shop's name on the display (default: \"Merchant\n"
    "                          <CODE>\" with --merchant, else \"Terminal <code>\"); the\n"
    "                          receipt uses the gateway's name for the shop\n"
    "  --journal FILE          the sales journal (default pos-journal.log next to the\n"
    "                          config, else $PAYGW_VAR/pos-journal.log)\n"
    "\n"
    "token-sale (the second embodiment, docs/pos.md): the same sale, but the gateway\n"
    "answers an encrypted card number after the shopper agreed and typed the web\n"
    "password on the handset, and the POS asks the credit server itself (ISO 8583\n"
    "0100 under mutual TLS, its STAN counter beside the journal).\n"
    "  --method M              L (default), I<count> (I3), B, pB or R\n"
    "  --credit-timeout SEC    wait for the credit server's answer (default 5); then\n"
    "                          the authorization is reversed (0400, 0401 repeats)\n"
    "  --key-id ID             token-void: the key ID of a completed token sale\n"
    "The credit server: credit_addr, credit_ca, credit_server_name, credit_cert,\n"
    "credit_key in the config, else PAYGW_CREDIT_ADDR, PAYGW_CREDIT_CA,\n"
    "PAYGW_CREDIT_SERVER_NAME, PAYGW_POS_CREDIT_CERT, PAYGW_POS_CREDIT_KEY, else\n"
    "var/stack.env.  Every start first reverses the token sales its journal leaves\n"
    "in doubt (a token_pending line without an end).\n"
    "\n"
    "refund: gives back N minor units of a completed payment of this merchant (a\n"
    "void of the whole payment the same day, else a refund): journaled before it\n"
    "is sent, with an Idempotency-Key kept for its repeats; followed until the card\n"
    "issuer answered (--wait-timeout); then a refund receipt.  Every start first asks\n"
    "again, with the same key, for the refunds its journal leaves without an end;\n"
    "--resume does only that.  refunds: the payment's refunds.\n"
    "  --transaction NUMBER    the payment's transaction number\n"
    "  --amount N              minor units to give back (at most what is left)\n"
    "  --reason TEXT           1-200 characters, on the receipt and at the gateway\n"
    "\n"
    "The gateway and its CA come from the config, PAYGW_URL / PAYGW_CA, or\n"
    "var/stack.env ($PAYGW_STACK_ENV); the credential from the config,\n"
    "PAYGW_TERMINAL or --merchant.  A gateway that does not answer is said once,\n"
    "asked again less and less often (at most every $PAYGW_CLIENT_BACKOFF_MAX s,\n"
    "default 30) and said once more when it answers again.\n"
    "\n"
    "exit: 0 paid; 1 declined, canceled, expired, failed or refused by the gateway;\n"
    "2 usage or settings; 3 no user ID in time, the gateway unreachable, or the\n"
    "outcome unknown (OUTCOME UNKNOWN: the transaction may be open at the gateway)\n";

/* The first SIGINT/SIGTERM asks the POS to give up the sale (stop_requested);
 * one that comes while it is already giving up (cancel_phase) means "stop
 * waiting now" (stop_now). */
volatile int pos_stop_requested, pos_stop_now;
#define stop_requested pos_stop_requested
#define stop_now pos_stop_now
static volatile sig_atomic_t cancel_phase;

static void on_signal(int sig)
{
  (void)sig;
  if (stop_requested || cancel_phase)
    stop_now = 1;
  stop_requested = 1;
}

/* How long the POS waits for the final state from its cancel request on,
 * apart from the sale's own --wait-timeout: the gateway's long poll (25 s)
 * plus slack.  A second Ctrl-C ends it at once. */
#define CANCEL_WAIT_S 35

enum {
  O_ITEM = 1,
  O_FILE,
  O_CURRENCY,
  O_REFERENCE,
  O_LISTEN,
  O_LINK_TIMEOUT,
  O_WAIT_TIMEOUT,
  O_CONFIG,
  O_MERCHANT,
  O_SHOP,
  O_JOURNAL,
  O_CREDIT_TIMEOUT,
  O_METHOD,
  O_KEY_ID,
  O_TRANSACTION,
  O_AMOUNT,
  O_REASON,
  O_RESUME,
  O_HELP
};

static const struct option options[] = {
  { "item", required_argument, NULL, O_ITEM },
  { "file", required_argument, NULL, O_FILE },
  { "currency", required_argument, NULL, O_CURRENCY },
  { "reference", required_argument, NULL, O_REFERENCE },
  { "listen", required_argument, NULL, O_LISTEN },
  { "link-timeout", required_argument, NULL, O_LINK_TIMEOUT },
  { "wait-timeout", required_argument, NULL, O_WAIT_TIMEOUT },
  { "config", required_argument, NULL, O_CONFIG },
  { "merchant", required_argument, NULL, O_MERCHANT },
  { "shop", required_argument, NULL, O_SHOP },
  { "journal", required_argument, NULL, O_JOURNAL },
  { "credit-timeout", required_argument, NULL, O_CREDIT_TIMEOUT },
  { "method", required_argument, NULL, O_METHOD },
  { "key-id", required_argument, NULL, O_KEY_ID },
  { "transaction", required_argument, NULL, O_TRANSACTION },
  { "amount", required_argument, NULL, O_AMOUNT },
  { "reason", required_argument, NULL, O_REASON },
  { "resume", no_argument, NULL, O_RESUME },
  { "help", no_argument, NULL, O_HELP },
  { NULL, 0, NULL, 0 },
};

static const char *const setting_of[] = {
  [O_CURRENCY] = "currency",         [O_LISTEN] = "listen",
  [O_LINK_TIMEOUT] = "link_timeout", [O_WAIT_TIMEOUT] = "wait_timeout",
  [O_MERCHANT] = "merchant",         [O_SHOP] = "shop",
  [O_JOURNAL] = "journal",           [O_CREDIT_TIMEOUT] = "credit_timeout",
};

/* --method: L, I<count>, B, pB or R (token sales; the gateway's sales let
 * the shopper choose on the handset). */
static int set_method(struct pos_run *run, const char *m, char *err, size_t errlen)
{
  char *end;

  if (!run->token) {
    snprintf(err, errlen, "--method belongs to token-sale");
    return -1;
  }
  run->installments = 0;
  if (m[0] == 'I' && m[1] >= '0' && m[1] <= '9') {
    long n = strtol(m + 1, &end, 10);
    if (*end || n < 2 || n > 99) {
      snprintf(err, errlen, "--method I<count>: a count 2-99, got '%.20s'", m);
      return -1;
    }
    run->installments = (int)n;
    snprintf(run->method, sizeof run->method, "I");
    return 0;
  }
  static const char *const methods[] = { "L", "B", "pB", "R", NULL };
  for (int i = 0; methods[i]; i++)
    if (strcmp(m, methods[i]) == 0) {
      snprintf(run->method, sizeof run->method, "%s", m);
      return 0;
    }
  snprintf(err, errlen, "--method must be L, I<count> (I3), B, pB or R, got '%.20s'", m);
  return -1;
}

/* --key-id: tokencrypt's 22 base64url characters. */
static int set_key_id(struct pos_run *run, const char *id, char *err, size_t errlen)
{
  if (strlen(id) != 22 || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != 22) {
    snprintf(err, errlen, "--key-id must be 22 base64url characters, got '%.40s'", id);
    return -1;
  }
  snprintf(run->key_id, sizeof run->key_id, "%s", id);
  return 0;
}

/* --transaction, --amount, --reason, --resume: refund and refunds only. */
static int set_refund_option(struct pos_run *run, int c, const char *arg, char *err, size_t errlen)
{
  if (!run->refunding) {
    snprintf(err, errlen, "--%s belongs to refund and refunds", options[c - 1].name);
    return -1;
  }
  if (c == O_RESUME) {
    run->refund_resume = true;
    return 0;
  }
  return c == O_TRANSACTION ? refund_set_transaction(&run->refund, arg, err, errlen)
         : c == O_AMOUNT    ? refund_set_amount(&run->refund, arg, err, errlen)
                            : refund_set_reason(&run->refund, arg, err, errlen);
}

/* Two passes: the config file first, so options given beside it win. */
static int parse_options(int argc, char **argv, struct pos_run *run)
{
  char err[512];
  int c;

  posconf_defaults(&run->conf);
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
    if (c == O_HELP) {
      fputs(usage, stdout);
      exit(POS_PAID);
    }
    if (c == O_CONFIG && posconf_load_file(&run->conf, optarg, err, sizeof err) != 0) {
      fprintf(stderr, "pos: %s\n", err);
      return -1;
    }
  }
  struct {
    int kind;
    const char *arg;
  } items[SALE_MAX_ITEMS * 2 + 8];
  const char *reference = NULL;
  size_t n_items = 0;
  opterr = 1;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
    if (c == '?') {
      fputs(usage, stderr);
      return -1;
    }
    if (c >= O_CURRENCY && c <= O_CREDIT_TIMEOUT && setting_of[c]) {
      if (posconf_set(&run->conf, setting_of[c], optarg, err, sizeof err) != 0) {
        fprintf(stderr, "pos: --%s: %s\n", options[c - 1].name, err);
        return -1;
      }
    } else if (c == O_METHOD || c == O_KEY_ID) {
      if ((c == O_METHOD ? set_method(run, optarg, err, sizeof err) : set_key_id(run, optarg, err, sizeof err)) != 0) {
        fprintf(stderr, "pos: %s\n", err);
        return -1;
      }
    } else if (c >= O_TRANSACTION && c <= O_RESUME) {
      if (set_refund_option(run, c, optarg, err, sizeof err) != 0) {
        fprintf(stderr, "pos: %s\n", err);
        return -1;
      }
    } else if (c == O_REFERENCE) {
      reference = optarg; /* checked below, after sale_init */
    } else if ((c == O_ITEM || c == O_FILE) && n_items < sizeof items / sizeof items[0]) {
      items[n_items].kind = c;
      items[n_items++].arg = optarg;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "pos: unexpected argument '%s'\n", argv[optind]);
    return -1;
  }
  if (run->refunding && n_items) {
    fprintf(stderr, "pos: --item and --file belong to a sale, not to a refund\n");
    return -1;
  }
  if (sale_init(&run->sale, run->conf.currency, err, sizeof err) != 0
      || (reference && sale_set_reference(&run->sale, reference, err, sizeof err) != 0)) {
    fprintf(stderr, "pos: %s\n", err);
    return -1;
  }
  for (size_t i = 0; i < n_items; i++) {
    int rc;
    if (items[i].kind == O_ITEM) {
      rc = sale_add_item(&run->sale, items[i].arg, err, sizeof err);
    } else {
      FILE *f = fopen(items[i].arg, "r");
      if (!f)
        snprintf(err, sizeof err, "cannot read %s: %s", items[i].arg, strerror(errno));
      rc = f ? sale_add_file(&run->sale, f, items[i].arg, err, sizeof err) : -1;
      if (f)
        fclose(f);
    }
    if (rc != 0) {
      fprintf(stderr, "pos: %s\n", err);
      return -1;
    }
  }
  return 0;
}

/* Appends one line to the journal: a single write on an O_APPEND file, so
 * two POS processes sharing it never interleave within a line.  Takes line. */
int pos_journal_write(struct pos_run *run, char *line)
{
  size_t n = line ? strlen(line) : 0;
  char *with_nl = line ? realloc(line, n + 2) : NULL;
  int rc = 0;

  if (!with_nl) {
    free(line);
    fprintf(stderr, "pos: out of memory writing the journal\n");
    return -1;
  }
  with_nl[n++] = '\n';
  if (write(run->journal_fd, with_nl, n) != (ssize_t)n || fsync(run->journal_fd) != 0) {
    fprintf(stderr, "pos: could not write the journal %s: %s\n", run->conf.journal, strerror(errno));
    rc = -1;
  }
  free(with_nl);
  return rc;
}

/* One journal line of the sale; a token sale's statuses are token_*. */
static void journal(struct pos_run *run, const char *status, const json_t *txn, const char *reason)
{
  char when[32], token_status[40];
  time_rfc3339(time(NULL), when, sizeof when);
  if (!run->token) {
    pos_journal_write(run, sale_journal_line(&run->sale, when, status, run->user_id, txn, reason));
    return;
  }
  snprintf(token_status, sizeof token_status, "token_%s", status);
  pos_journal_write(
      run, token_journal_line(&run->sale, when, token_status, run->user_id, txn, run->tok, NULL, NULL, reason));
}

/* S2: one user ID over the proximity link. */
static int wait_for_user(struct pos_run *run)
{
  struct proxlink_addr addr;
  char err[512];

  if (proxlink_parse_addr(run->conf.listen, &addr, err, sizeof err) != 0) {
    fprintf(stderr, "pos: %s\n", err);
    return POS_USAGE;
  }
  int lfd = proxlink_listen(&addr, err, sizeof err);
  if (lfd < 0) {
    fprintf(stderr, "pos: %s\n", err);
    return POS_USAGE;
  }
  printf("Waiting for the shopper's handset on the proximity link %s (up to %ld s)...\n", run->conf.listen,
         run->conf.link_timeout_s);
  int rc =
      proxlink_wait_user(lfd, (int)(run->conf.link_timeout_s * 1000), &stop_requested, run->user_id, err, sizeof err);
  proxlink_close(lfd, &addr);
  if (rc == 0) {
    printf("User ID %s received from the handset.\n", run->user_id);
    return POS_PAID;
  }
  const char *why = rc < 0 ? err : stop_requested ? "stopped at the POS" : "no user ID arrived in time";
  printf("No payment: %s. The sale was not sent to the gateway.\n", why);
  journal(run, "no_user", NULL, why);
  return rc < 0 ? POS_USAGE : POS_NETWORK;
}

/* Notes whether a call got an answer (a call stopped by a signal says
 * nothing of the gateway) and prints a line when that changed. */
static void note_reach(struct pos_run *run, const struct gw_reply *r, bool answered)
{
  char line[512];

  if ((answered || !r->aborted) && gw_reach_note(&run->reach, answered, time(NULL), r->error, line, sizeof line))
    printf("%s\n", line);
}

/* Sleeps before the next try at an unanswering gateway: its back-off, but
 * not past `until` (0: no bound) and not through a signal. */
static void back_off(struct pos_run *run, time_t until)
{
  long wait = gw_reach_wait(&run->reach);

  if (wait < 1)
    wait = 1;
  if (until && wait > (long)(until - time(NULL)))
    wait = (long)(until - time(NULL));
  for (long t = 0; t < wait && !stop_now && !(stop_requested && !cancel_phase); t++)
    sleep(1);
}

/* 503 outcome_unknown: the gateway lost its database connection while
 * committing the sale and cannot tell whether it stored it.  Asked again
 * before the database is back, it answers database_unavailable: nothing
 * was done by that request, but the first one may still have stored it. */
static bool gateway_unsure(const struct gw_reply *r, bool maybe_made)
{
  const char *code = gw_problem_code(r);
  return r->status == 503
         && (strcmp(code, "outcome_unknown") == 0 || (maybe_made && strcmp(code, "database_unavailable") == 0));
}

/* One POST /v1/transactions.  Returns POS_PAID with *txn, POS_NOT_PAID
 * after a refusal (printed and journaled), or -1 when no answer came or the
 * gateway could not tell whether it stored the sale (*maybe_made set when
 * the request may have made it; *retry_after, when given, to the seconds
 * the gateway asked for, or -1). */
static int post_sale(struct pos_run *run, const char *const *headers, const json_t *body, long timeout_ms, json_t **txn,
                     bool *maybe_made, long *retry_after)
{
  char text[512];
  struct gw_reply r;
  int rc = -1;

  if (retry_after)
    *retry_after = -1;
  if (gw_http_call(&run->g, "POST", run->api, headers, body, timeout_ms, &r) == 0) {
    note_reach(run, &r, true);
    if (r.status == 201 || r.status == 200) {
      *txn = json_incref(r.json);
      rc = POS_PAID;
    } else if (gateway_unsure(&r, *maybe_made)) {
      /* the same Idempotency-Key settles it: the first answer, or a new sale */
      printf("The gateway does not know whether it stored the sale (%s); asking again with the same key.\n",
             gw_problem_code(&r));
      *maybe_made = true;
      if (retry_after)
        *retry_after = r.retry_after;
    } else {
      printf("The gateway refused the sale: %s.\n", gw_problem_text(&r, text, sizeof text));
      /* a token request's refusal (unknown_user...) is its rejection */
      journal(run, run->token ? "rejected" : "refused", NULL, gw_problem_text(&r, text, sizeof text));
      rc = POS_NOT_PAID;
    }
  } else {
    *maybe_made = *maybe_made || r.sent;
    note_reach(run, &r, false);
  }
  gw_reply_clear(&r);
  return rc;
}

/* The POST's outcome is unknown (interrupted or no answer after it went out):
 * the gateway may have made the transaction.  The same POST with the same
 * Idempotency-Key returns the first answer (docs/api.md), so the POS learns
 * the number and then cancels it.  Returns POS_PAID with *txn (the caller
 * cancels), POS_NOT_PAID, or POS_NETWORK after journaling "unknown". */
static int resolve_unknown_post(struct pos_run *run, const char *const *headers, const json_t *body, json_t **txn)
{
  time_t until = time(NULL) + CANCEL_WAIT_S;
  bool dummy = true;
  int rc = -1;

  stop_requested = 1; /* the POS gives up this sale */
  cancel_phase = 1;
  run->g.abort_flag = &stop_now; /* a further Ctrl-C stops at once */
  printf("The gateway may have made a transaction: asking again with the same key to cancel it...\n");
  while (rc < 0 && !stop_now && time(NULL) < until) {
    long left = (long)(until - time(NULL));
    rc = post_sale(run, headers, body, (left < 15 ? left : 15) * 1000L, txn, &dummy, NULL);
    if (rc < 0 && !stop_now)
      back_off(run, until);
  }
  if (rc >= 0)
    return rc;
  printf("OUTCOME UNKNOWN: the gateway did not answer; a transaction for sale %s may be open at the gateway.\n",
         run->sale.reference);
  journal(run, "unknown", NULL, "no answer to the request: a transaction may be open at the gateway");
  return POS_NETWORK;
}

/* S3/S4: the transaction number.  A network failure is retried with the same
 * Idempotency-Key, so the gateway makes one transaction however often.
 * Returns POS_PAID with *txn, POS_CANCEL with *txn when the POS must cancel
 * it (the request was interrupted), or POS_NOT_PAID / POS_NETWORK (journaled). */
static int request_number(struct pos_run *run, json_t **txn)
{
  char key[64], key_header[96];
  const char *headers[] = { run->auth_header, key_header, NULL };
  json_t *body = sale_request_json(&run->sale, run->user_id);
  bool maybe_made = false;
  int rc = -1;

  random_token(24, key, sizeof key);
  snprintf(key_header, sizeof key_header, "Idempotency-Key: %s", key);
  for (int attempt = 1; attempt <= 3 && rc < 0 && !stop_requested; attempt++) {
    long retry_after;
    rc = post_sale(run, headers, body, 30000, txn, &maybe_made, &retry_after);
    if (rc < 0 && attempt < 3 && !stop_requested && retry_after > 0) {
      for (long t = 0; t < (retry_after < 10 ? retry_after : 10) && !stop_requested; t++)
        sleep(1); /* the Retry-After the gateway asked for */
    } else if (rc < 0 && attempt < 3 && !stop_requested) {
      back_off(run, 0);
    }
  }
  if (rc < 0 && maybe_made) {
    rc = resolve_unknown_post(run, headers, body, txn);
    if (rc == POS_PAID)
      rc = POS_CANCEL;
  } else if (rc < 0) { /* nothing reached the gateway */
    printf("No payment: the gateway could not be reached.\n");
    journal(run, "error", NULL, "the gateway could not be reached");
    rc = POS_NETWORK;
  } else if (rc == POS_PAID && stop_requested) {
    rc = POS_CANCEL; /* the answer came, but the POS was stopped meanwhile */
  }
  json_decref(body);
  return rc;
}

static const char *status_of(const json_t *txn)
{
  const char *s = json_string_value(json_object_get(txn, "status"));
  return s ? s : "";
}

/* A status the transaction (or token request) never leaves. */
static bool status_final(const struct pos_run *run, const char *status)
{
  return run->token ? token_status_final(status) : sale_status_final(status);
}

/* Cancels the transaction (the POS gave up or was stopped); a 200 answer
 * carries the new state, which replaces *txn. */
static void cancel(struct pos_run *run, json_t **txn)
{
  char path[128];
  const char *headers[] = { run->auth_header, NULL };
  struct gw_reply r;

  snprintf(path, sizeof path, "%s/%s/cancel", run->api, run->number);
  int answered = gw_http_call(&run->g, "POST", path, headers, NULL, 15000, &r) == 0;
  note_reach(run, &r, answered);
  if (answered && r.status == 200) {
    printf("\nThe sale was canceled at the POS.\n");
    if (json_is_string(json_object_get(r.json, "status"))
        && json_object_get(r.json, run->token ? "id" : "transaction")) {
      json_t *merged = json_deep_copy(*txn);
      json_object_update(merged, r.json);
      json_decref(*txn);
      *txn = merged;
    }
  }
  gw_reply_clear(&r);
}

/* One GET ?wait=; replaces *txn when an answer came.  Returns 0 or -1. */
static int poll_status(struct pos_run *run, json_t **txn, long wait_s, long timeout_s)
{
  char path[192];
  const char *headers[] = { run->auth_header, NULL };
  struct gw_reply r;
  int rc = -1;

  snprintf(path, sizeof path, "%s/%s?wait=%ld&status=%s", run->api, run->number, wait_s, status_of(*txn));
  int answered = gw_http_call(&run->g, "GET", path, headers, NULL, timeout_s * 1000L, &r) == 0;
  note_reach(run, &r, answered);
  if (answered && r.status == 200 && json_is_object(r.json)) {
    json_decref(*txn);
    *txn = json_incref(r.json);
    rc = 0;
  }
  gw_reply_clear(&r);
  return rc;
}

/* One poll bounded by `until`; never returns at once twice in a row without
 * a pause, so a gateway that refuses or answers at once is not flooded. */
static void poll_once(struct pos_run *run, json_t **txn, long max_wait_s, time_t until)
{
  long left = (long)(until - time(NULL));
  long wait_s = left - 5 < max_wait_s ? left - 5 : max_wait_s;
  char before[32];

  if (wait_s < 0 || run->reach.down)
    wait_s = 0; /* after no answer, ask without waiting: is it back? */
  snprintf(before, sizeof before, "%s", status_of(*txn));
  time_t asked = time(NULL);
  int rc = poll_status(run, txn, wait_s, wait_s + (left > wait_s + 15 ? 15 : 5));
  if (status_final(run, status_of(*txn)))
    return;
  if (run->reach.down)
    back_off(run, until); /* no answer: ask less and less often */
  else if (rc != 0 || (time(NULL) - asked < 1 && strcmp(before, status_of(*txn)) == 0))
    sleep(1); /* refused, or no wait slot was free (Retry-After): do not hammer */
}

static void show_waiting(const struct pos_run *run, const json_t *txn, bool tty, time_t start, char last[32])
{
  const char *what = run->token ? "Waiting for the shopper's reply on the handset..."
                                : "Waiting for the shopper to confirm on the handset...";
  if (strcmp(last, status_of(txn)) != 0 || tty) {
    printf(tty ? "\r  %s [%s] %lds   " : "  %s [%s] %lds\n", what, status_of(txn), (long)(time(NULL) - start));
    fflush(stdout);
    snprintf(last, 32, "%s", status_of(txn));
  }
}

/* The POS gave up (its time-out or a signal): cancel, then wait a bounded
 * CANCEL_WAIT_S for the final state.  A further signal stops at once. */
static void give_up(struct pos_run *run, json_t **txn)
{
  cancel_phase = 1;
  run->g.abort_flag = &stop_now; /* the cancel must go through the first signal */
  if (stop_now)
    return;
  time_t until = time(NULL) + CANCEL_WAIT_S; /* the cancel request counts too */
  cancel(run, txn);
  while (!status_final(run, status_of(*txn)) && !stop_now && time(NULL) < until)
    poll_once(run, txn, 25, until);
}

/* Waits for completion with a visible waiting line; gives up on the POS's
 * own time-out or a signal.  *txn holds the last answer. */
static void wait_for_completion(struct pos_run *run, json_t **txn)
{
  bool tty = isatty(STDOUT_FILENO) == 1;
  time_t start = time(NULL), deadline = start + run->conf.wait_timeout_s;
  char last[32] = "";

  while (!status_final(run, status_of(*txn)) && !stop_requested && time(NULL) < deadline) {
    show_waiting(run, *txn, tty, start, last);
    poll_once(run, txn, tty ? 1 : 25, deadline + 5);
  }
  if (!status_final(run, status_of(*txn)))
    give_up(run, txn);
  if (tty)
    printf("\n");
}

static int sell(struct pos_run *run)
{
  json_t *txn = NULL;
  int rc;
  const char *binding;

  sale_display(stdout, &run->sale, run->conf.shop);
  if ((rc = wait_for_user(run)) != POS_PAID)
    return rc;
  if ((rc = request_number(run, &txn)) != POS_PAID && rc != POS_CANCEL)
    return rc;
  const char *id = json_string_value(json_object_get(txn, run->token ? "id" : "transaction"));
  snprintf(run->number, sizeof run->number, "%s", id ? id : "");
  binding = json_string_value(json_object_get(txn, "binding_code"));
  printf("%s %s. Binding code %s: the shopper's handset shows the same code.\n",
         run->token ? "Token request" : "Transaction number", run->number, binding ? binding : "-");
  wait_for_completion(run, &txn); /* [0093]: the number stays with the sale */
  if (run->token) {
    rc = token_conclude(run, txn);
    json_decref(txn);
    return rc;
  }
  const char *status = status_of(txn);
  /* the shop's name as the gateway's merchant table has it, else our setting */
  const char *shop = json_string_value(json_object_get(txn, "shop"));
  sale_receipt(stdout, &run->sale, shop && *shop ? shop : run->conf.shop, txn);
  /* the receipt's heading and the journal's status come from the same test */
  journal(run, sale_status_final(status) ? status : "unknown", txn,
          sale_status_final(status) ? NULL : "the outcome is unknown: the transaction may still be open");
  rc = strcmp(status, "completed") == 0 ? POS_PAID : sale_status_final(status) ? POS_NOT_PAID : POS_NETWORK;
  json_decref(txn);
  return rc;
}

int main(int argc, char **argv)
{
  struct pos_run run;
  char err[512];

  setvbuf(stdout, NULL, _IOLBF, 0);
  memset(&run, 0, sizeof run);
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(usage, stdout);
    return POS_PAID;
  }
  const char *cmd = argc >= 2 ? argv[1] : "";
  bool void_ = strcmp(cmd, "token-void") == 0, list = strcmp(cmd, "refunds") == 0;
  run.token = strcmp(cmd, "token-sale") == 0 || void_;
  run.refunding = strcmp(cmd, "refund") == 0 || list;
  run.api = run.token ? "/v1/tokens" : "/v1/transactions";
  run.stan.fd = -1;
  run.refund_marks = -1;
  if (argc < 2 || (!run.token && !run.refunding && strcmp(cmd, "sale") != 0)) {
    fprintf(stderr,
            "pos: the command is `pos sale`, `pos token-sale`, `pos token-void`, `pos refund` or `pos "
            "refunds`\n%s",
            usage);
    return POS_USAGE;
  }
  if (parse_options(argc - 1, argv + 1, &run) != 0 || refund_options_check(&run, list) != 0)
    return POS_USAGE;
  run.conf.credit_only = void_;
  if (void_ && !run.key_id[0]) {
    fprintf(stderr, "pos: token-void needs --key-id ID\n");
    return POS_USAGE;
  }
  if ((!void_ && !run.refunding && sale_totals(&run.sale, err, sizeof err) != 0)
      || posconf_finish(&run.conf, err, sizeof err) != 0
      || (run.token && posconf_credit_check(&run.conf, err, sizeof err) != 0)
      || (!void_ && gw_http_init(&run.g, run.conf.gateway_url, NULL, run.conf.ca, err, sizeof err) != 0)) {
    fprintf(stderr, "pos: %s\n", err);
    return POS_USAGE;
  }
  if (!run.sale.reference[0]) {
    char rnd[16];
    random_token(6, rnd, sizeof rnd);
    snprintf(run.sale.reference, sizeof run.sale.reference, "sale-%s", rnd);
  }
  run.journal_fd = open(run.conf.journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (run.journal_fd < 0) {
    fprintf(stderr, "pos: cannot open the journal %s: %s\n", run.conf.journal, strerror(errno));
    if (!void_)
      gw_http_cleanup(&run.g);
    return POS_USAGE;
  }
  snprintf(run.auth_header, sizeof run.auth_header, "Authorization: Bearer %s", run.conf.terminal);
  gw_reach_init(&run.reach, 1, config_long("PAYGW_CLIENT_BACKOFF_MAX", GW_REACH_BACKOFF_MAX, 1, 300));
  struct sigaction sa = { .sa_handler = on_signal };
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  run.g.abort_flag = &stop_requested;
  /* first the token sales a crash left in doubt: exactly once, before anything new */
  int rc = token_recover(&run) != 0 && void_ ? POS_NETWORK : POS_PAID;
  /* then the refunds without an end, asked again with their keys (the gateway's) */
  int refunds_open = void_ ? 0 : refund_recover(&run);
  if (rc == POS_PAID) {
    if (void_)
      rc = token_void(&run);
    else if (run.refund_resume)
      rc = refund_resumed(&run, refunds_open);
    else if (list)
      rc = refunds_list(&run);
    else
      rc = run.refunding ? refund_command(&run) : sell(&run);
  }
  if (run.refund_marks >= 0)
    close(run.refund_marks);
  close(run.journal_fd);
  if (!void_)
    gw_http_cleanup(&run.g);
  if (run.credit.ctx)
    credit_close(&run.credit);
  stan_close(&run.stan);
  return rc;
}
