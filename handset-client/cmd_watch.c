/* cmd_watch.c — `handset watch`: figure 14.  Polls the mailbox (the direction
 * server) with the device signature headers, at the interval the gateway
 * answers (429 slow_down and Retry-After honoured).  A message runs the
 * payment application only when its signature verifies under the gateway's
 * message key from the store and it is a payment command for a user of this
 * handset ([0077]-[0079]); a verified `refund` message for one of its
 * users is shown (screen_refund); anything else is reported as ignored.  `handset
 * shop` runs the same loop for the one transaction its shop answered
 * (o->only_transaction): other commands are ignored, and that transaction's
 * completion ends it.  A gateway that does not answer is reported once,
 * polled with back-off, and reported once more when it answers again
 * (lib/proxlink/reach.h). */
#include "handset-client/handset.h"
#include "handset-client/screens.h"
#include "common/b64url.h"
#include "common/ed25519.h"
#include "proxlink/clientutil.h"
#include "proxlink/reach.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define INTERVAL_MIN 1
#define INTERVAL_MAX 60

static volatile int stop_requested;

static void on_signal(int sig)
{
  (void)sig;
  stop_requested = 1;
}

/* Verifies the gateway's signature over the exact bytes of the message and
 * parses it; NULL (with why) when it must be ignored. */
static json_t *verified_message(const struct uim_store *s, const json_t *entry, const char **why)
{
  const char *text = json_string_value(json_object_get(entry, "message"));
  const char *sig64 = json_string_value(json_object_get(entry, "signature"));
  unsigned char sig[ED25519_SIG_LEN + 2];

  if (!text || !sig64) {
    *why = "it is not signed";
    return NULL;
  }
  if (b64url_decode(sig64, sig, sizeof sig) != ED25519_SIG_LEN
      || !ed25519_verify(s->message_pub, text, strlen(text), sig)) {
    *why = "its signature does not verify under the gateway's key";
    return NULL;
  }
  json_t *m = json_loads(text, 0, NULL);
  if (!json_is_object(m)) {
    json_decref(m);
    *why = "it is not a JSON object";
    return NULL;
  }
  return m;
}

static const char *mstr(const json_t *m, const char *name)
{
  const char *v = json_string_value(json_object_get(m, name));
  return v ? v : "";
}

/* A payment command this handset should act on. */
static bool command_is_ours(const struct handset_opts *o, const struct uim_store *s, const json_t *m, const char **why)
{
  time_t exp;

  if (!uim_find_user(s, mstr(m, "user_id"))) {
    *why = "its user ID is not on this handset";
    return false;
  }
  if (strcmp(mstr(m, "device_id"), s->device_id) != 0) {
    *why = "it names another device";
    return false;
  }
  if (time_parse_rfc3339(mstr(m, "expires_at"), &exp) == 0 && exp <= handset_now(o)) {
    *why = "it has expired";
    return false;
  }
  return true;
}

/* A token confirmation this handset should answer: for one of its users,
 * naming this device, before its reply deadline. */
static bool token_is_ours(const struct handset_opts *o, const struct uim_store *s, const json_t *m, const char **why)
{
  time_t deadline;

  if (!uim_find_user(s, mstr(m, "user_id"))) {
    *why = "its user ID is not on this handset";
    return false;
  }
  if (strcmp(mstr(m, "device_id"), s->device_id) != 0) {
    *why = "it names another device";
    return false;
  }
  if (time_parse_rfc3339(mstr(m, "reply_deadline"), &deadline) != 0 || deadline <= handset_now(o)) {
    *why = "its reply deadline has passed";
    return false;
  }
  return true;
}

/* The payment application runs on a fresh read of the store: `pay` may have
 * stored an auth result since watch started. */
static int run_payment(const struct handset_opts *o, struct gw_http *g, const json_t *m)
{
  printf("Payment command for user ID %s: transaction %s, binding code %s. Starting the payment application.\n",
         mstr(m, "user_id"), mstr(m, "transaction"), mstr(m, "binding_code"));
  return payapp_run(o, g, m);
}

/* True when the same poll also brought a completion for this transaction:
 * it ended (canceled at the POS, say) before the handset got to it. */
static bool ended_in_batch(const struct uim_store *s, const json_t *list, const char *number)
{
  const json_t *entry;
  size_t i;

  json_array_foreach (list, i, entry) {
    const char *why;
    json_t *m = verified_message(s, entry, &why);
    bool ended = m && strcmp(mstr(m, "kind"), "completion") == 0 && strcmp(mstr(m, "transaction"), number) == 0;
    json_decref(m);
    if (ended)
      return true;
  }
  return false;
}

/* A refund of one of this handset's users' payments: shown, nothing to
 * answer (it does not count for --once). */
static void show_refund(const struct uim_store *s, const json_t *m)
{
  char amount[40];

  if (!uim_find_user(s, mstr(m, "user_id"))) {
    printf("Ignored a refund message for %.40s: its user ID is not on this handset.\n", mstr(m, "refund"));
    return;
  }
  if (!refund_message_valid(m)) {
    printf("Ignored a refund message for %.40s: it is not well-formed.\n", mstr(m, "refund"));
    return;
  }
  printf("Refund for user ID %s: %s %s back from transaction %s.\n", mstr(m, "user_id"),
         money_format(json_integer_value(json_object_get(m, "amount")), mstr(m, "currency"), amount, sizeof amount),
         mstr(m, "currency"), mstr(m, "transaction"));
  screen_refund(stdout, m);
}

/* Handles one poll's messages.  Returns -1 to keep watching, else the exit
 * status of a payment when --once. */
static int handle_messages(const struct handset_opts *o, struct uim_store *s, struct gw_http *g, const json_t *list)
{
  const json_t *entry;
  size_t i;
  int result = -1;

  json_array_foreach (list, i, entry) {
    const char *why = NULL;
    json_t *m = verified_message(s, entry, &why);
    if (!m) {
      printf("Ignored a mailbox message: %s.\n", why);
      continue;
    }
    const char *kind = mstr(m, "kind");
    bool wanted = !o->only_transaction || strcmp(mstr(m, "transaction"), o->only_transaction) == 0;
    if (strcmp(kind, "completion") == 0) {
      printf("Gateway: transaction %s %s%s%s.\n", mstr(m, "transaction"), mstr(m, "status"),
             *mstr(m, "reason") ? ": " : "", mstr(m, "reason"));
      if (o->only_transaction && wanted && result < 0) /* it ended without this handset */
        result = strcmp(mstr(m, "status"), "completed") == 0 ? EXIT_DONE : EXIT_NOT_PAID;
    } else if (strcmp(kind, "token_confirmation") == 0) {
      if (o->only_transaction)
        printf("Ignored a token confirmation: this run pays transaction %s only.\n", o->only_transaction);
      else if (!token_is_ours(o, s, m, &why))
        printf("Ignored a token confirmation for %s: %s.\n", mstr(m, "token"), why);
      else if (result < 0 || !o->once) {
        printf("Token confirmation for user ID %s: request %s, binding code %s.\n", mstr(m, "user_id"),
               mstr(m, "token"), mstr(m, "binding_code"));
        int rc = tokenapp_run(o, g, m);
        if (rc != PAYAPP_NOT_OPEN && o->once)
          result = rc;
      }
    } else if (strcmp(kind, "refund") == 0) {
      show_refund(s, m);
    } else if (strcmp(kind, "payment_command") != 0) {
      printf("Ignored a mailbox message of unknown kind '%.32s'.\n", kind);
    } else if (!wanted) {
      printf("Ignored a payment command for transaction %s: this run pays transaction %s only.\n",
             mstr(m, "transaction"), o->only_transaction);
    } else if (!command_is_ours(o, s, m, &why)) {
      printf("Ignored a payment command for transaction %s: %s.\n", mstr(m, "transaction"), why);
    } else if (ended_in_batch(s, list, mstr(m, "transaction"))) {
      printf("Skipped the payment command for transaction %s: it has already ended.\n", mstr(m, "transaction"));
    } else if (result < 0 || !o->once) {
      int rc = run_payment(o, g, m);
      if (rc == PAYAPP_NOT_OPEN && o->only_transaction)
        rc = EXIT_NOT_PAID; /* the one transaction this run is for has ended */
      if (rc != PAYAPP_NOT_OPEN && o->once)
        result = rc;
    }
    json_decref(m);
  }
  return result;
}

/* The signed headers of docs/api.md: mailbox:<device>:<timestamp ms>. */
static int sign_poll(const struct handset_opts *o, const struct uim_store *s, char h[3][160])
{
  struct timeval tv;
  char text[128], sig64[100];
  unsigned char sig[ED25519_SIG_LEN];

  gettimeofday(&tv, NULL);
  long long ms = ((long long)tv.tv_sec + o->clock_offset_s) * 1000LL + tv.tv_usec / 1000;
  snprintf(text, sizeof text, "mailbox:%s:%lld", s->device_id, ms);
  if (ed25519_sign(s->device_priv, text, strlen(text), sig) != 0)
    return -1;
  b64url_encode(sig, sizeof sig, sig64);
  snprintf(h[0], 160, "X-Paygw-Device: %s", s->device_id);
  snprintf(h[1], 160, "X-Paygw-Timestamp: %lld", ms);
  snprintf(h[2], 160, "X-Paygw-Signature: %s", sig64);
  return 0;
}

bool handset_answers_given(const struct handset_opts *o)
{
  if ((o->agree < 0 || (o->agree == 1 && !o->method)) && !isatty(STDIN_FILENO)) {
    fprintf(stderr, "handset: not on a terminal: give --agree or --decline, and --method\n");
    return false;
  }
  return true;
}

static long clamp_interval(long v)
{
  return v < INTERVAL_MIN ? INTERVAL_MIN : v > INTERVAL_MAX ? INTERVAL_MAX : v;
}

/* Notes whether a poll got an answer; prints a line when that changed. */
static void note_reach(struct gw_reach *reach, bool answered, const char *error)
{
  char line[512];

  if (gw_reach_note(reach, answered, time(NULL), error, line, sizeof line))
    printf("%s\n", line);
}

/* One poll.  Sets *interval; returns -1 to keep watching, or an exit status. */
static int poll_once(const struct handset_opts *o, struct uim_store *s, struct gw_http *g, long *interval,
                     time_t *last_ok, struct gw_reach *reach)
{
  char h[3][160], text[512];
  const char *headers[] = { h[0], h[1], h[2], NULL };
  struct gw_reply r;
  int rc = -1;

  if (sign_poll(o, s, h) != 0) {
    fprintf(stderr, "handset: cannot sign with the device key\n");
    return EXIT_USAGE;
  }
  if (gw_http_call(g, "GET", "/v1/mailbox", headers, NULL, o->timeout_s * 1000L, &r) != 0) {
    if (!r.aborted) /* stopped by a signal: that says nothing of the gateway */
      note_reach(reach, false, r.error);
    gw_reply_clear(&r);
    return -1;
  }
  note_reach(reach, true, NULL);
  *last_ok = time(NULL);
  if (r.status == 200) {
    *interval = clamp_interval(json_integer_value(json_object_get(r.json, "interval")));
    if (o->verbose)
      printf("Polled the mailbox: %zu message(s); next poll in %ld s.\n",
             json_array_size(json_object_get(r.json, "messages")), *interval);
    rc = handle_messages(o, s, g, json_object_get(r.json, "messages"));
  } else if (r.status == 429) {
    long want = json_integer_value(json_object_get(r.json, "interval"));
    long next = r.retry_after > 0 ? r.retry_after : want > 0 ? want : *interval * 2;
    /* nginx's per-address limit (rate_limited) says only "1 s"; polling
     * sooner than the gateway's interval would just earn a slow_down */
    if (gw_rate_limited(&r) && next < *interval)
      next = *interval;
    *interval = clamp_interval(next);
    printf("The gateway asks to poll less often: next poll in %ld s.\n", *interval);
  } else {
    printf("The gateway refused the mailbox poll (%s).\n", gw_problem_text(&r, text, sizeof text));
    rc = r.status >= 500 ? -1 : EXIT_USAGE;
  }
  gw_reply_clear(&r);
  return rc;
}

int cmd_watch(struct handset_opts *o)
{
  struct uim_store s;
  struct gw_http g;
  char err[512];
  long interval = 2;
  time_t started = time(NULL), last_ok = started;
  struct gw_reach reach;
  int rc = handset_open_store(o, &s);

  if (rc != 0)
    return rc;
  if (!handset_answers_given(o)) {
    uim_free(&s);
    return EXIT_USAGE;
  }
  if (gw_http_init(&g, s.gateway_url, s.ca_cert, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "handset: %s\n", err);
    uim_free(&s);
    return EXIT_USAGE;
  }
  struct sigaction sa = { .sa_handler = on_signal };
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  g.abort_flag = &stop_requested;
  gw_reach_init(&reach, 1, o->backoff_max_s);
  if (o->only_transaction)
    printf("Waiting for the gateway's payment command for transaction %s.\n", o->only_transaction);
  else
    printf("Watching the mailbox of device %s at %s.\n", s.device_id, s.gateway_url);
  for (rc = -1; rc < 0 && !stop_requested;) {
    rc = poll_once(o, &s, &g, &interval, &last_ok, &reach);
    if (rc >= 0 || stop_requested)
      break;
    if (time(NULL) - last_ok >= o->timeout_s) {
      printf(TIMEOUT_MESSAGE "\n", o->timeout_s);
      rc = EXIT_NETWORK;
    } else if (o->for_s && time(NULL) - started >= o->for_s) {
      if (o->only_transaction)
        printf("No payment command for transaction %s arrived within %ld s; nothing was paid.\n", o->only_transaction,
               o->for_s);
      else
        printf("No payment within %ld s; stopped watching.\n", o->for_s);
      rc = EXIT_NETWORK;
    } else {
      /* no answer: back off, but try once more before the time-out of [0083] */
      long wait = reach.down ? gw_reach_wait(&reach) : interval;
      long left = o->timeout_s - (long)(time(NULL) - last_ok);
      if (reach.down && wait > left)
        wait = left;
      long for_left = o->for_s - (long)(time(NULL) - started); /* one last poll as --for runs out */
      if (o->for_s && wait > for_left)
        wait = for_left;
      for (long t = 0; t < wait && !stop_requested; t++)
        sleep(1);
    }
  }
  if (rc < 0)
    rc = EXIT_DONE; /* stopped by a signal between payments */
  gw_http_cleanup(&g);
  uim_free(&s);
  return rc;
}
