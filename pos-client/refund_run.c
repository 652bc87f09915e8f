/* refund_run.c — `pos refund`, `pos refunds` and the start-up recovery of
 * refunds (pos.h; docs/pos.md "Refunds").  The rule the token sale keeps
 * holds here too: what is sent is recorded before it is sent.  The
 * journal's `refund_pending` line (transaction, amount, reason, terminal and
 * a fresh Idempotency-Key) is written and synced before the POST goes out;
 * its end (`refund_completed`, `refund_declined`, `refund_failed`,
 * `refund_refused`, `refund_error`) after.  A POS that dies in between, or
 * that never got an answer, leaves the line without an end, and the next
 * `pos` on the same journal (or `pos refund --resume`) sends the same POST
 * with the same key: the gateway answers the refund it made, with its
 * current state, or makes it now — one refund however often it is asked. */
#include "pos-client/pos.h"
#include "proxlink/clientutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The recovery's time for one refund at start-up: a refund still pending
 * after it is followed again at the next start. */
#define RECOVERY_BUDGET_S 30
#define SEND_TRIES 3

enum send_outcome {
  SENT_ANSWERED, /* the refund object: made now, or the first one again */
  SENT_REFUSED,  /* a 4xx problem: no refund was made */
  SENT_NOTHING,  /* nothing reached the gateway, ever */
  SENT_UNKNOWN   /* it went out, or may have, and no answer came */
};

static const char *jstr(const json_t *o, const char *name)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v ? v : "";
}

/* Notes whether a call got an answer (a call stopped by a signal says
 * nothing of the gateway) and prints a line when that changed. */
static void note_reach(struct pos_run *run, const struct gw_reply *r, bool answered)
{
  char line[512];

  if ((answered || !r->aborted) && gw_reach_note(&run->reach, answered, time(NULL), r->error, line, sizeof line))
    printf("%s\n", line);
}

/* Sleeps up to s seconds, less when asked to stop. */
static void pause_s(long s)
{
  for (long i = 0; i < s && !pos_stop_requested; i++)
    sleep(1);
}

/* One line of refund rf in the journal. */
static int journal_refund(struct pos_run *run, const struct pos_refund *rf, const char *status, const json_t *refund,
                          const json_t *txn, const char *problem, const char *reason)
{
  char when[32];

  time_rfc3339(time(NULL), when, sizeof when);
  return pos_journal_write(run, refund_journal_line(rf, strcmp(status, "refund_pending") == 0 ? rf->requested_at : when,
                                                    status, refund, txn, problem, reason));
}

/* GET path: the answer's JSON on a 200, else NULL. */
static json_t *get_json(struct pos_run *run, const char *path, long timeout_s, long *status)
{
  const char *headers[] = { run->auth_header, NULL };
  struct gw_reply r;
  json_t *answer = NULL;

  int answered = gw_http_call(&run->g, "GET", path, headers, NULL, timeout_s * 1000L, &r) == 0;
  note_reach(run, &r, answered);
  if (status)
    *status = answered ? r.status : 0;
  if (answered && r.status == 200 && json_is_object(r.json))
    answer = json_incref(r.json);
  gw_reply_clear(&r);
  return answer;
}

/* The payment as the gateway has it now (shop, total, refunded,
 * refundable), or NULL. */
static json_t *payment_now(struct pos_run *run, const char *number)
{
  char path[96];

  snprintf(path, sizeof path, "/v1/transactions/%s", number);
  return get_json(run, path, 15, NULL);
}

/* POST /v1/transactions/{n}/refunds with rf's key, tried SEND_TRIES times.
 * sent_before: an earlier process may have sent it (recovery), so nothing
 * reaching the gateway now does not mean no refund was made. */
static enum send_outcome send_refund(struct pos_run *run, const struct pos_refund *rf, bool sent_before,
                                     json_t **answer, long *http_status)
{
  char path[96], key_header[96], text[512];
  const char *headers[] = { run->auth_header, key_header, NULL };
  json_t *body = refund_request_json(rf);
  bool maybe_made = sent_before;

  snprintf(path, sizeof path, "/v1/transactions/%s/refunds", rf->transaction);
  snprintf(key_header, sizeof key_header, "Idempotency-Key: %s", rf->key);
  for (int attempt = 1; attempt <= SEND_TRIES && !pos_stop_requested; attempt++) {
    struct gw_reply r;
    long wait = 1;
    if (gw_http_call(&run->g, "POST", path, headers, body, 30000, &r) == 0) {
      note_reach(run, &r, true);
      *http_status = r.status;
      if ((r.status == 201 || r.status == 200) && strncmp(jstr(r.json, "id"), "rf_", 3) == 0) {
        *answer = json_incref(r.json);
        gw_reply_clear(&r);
        json_decref(body);
        return SENT_ANSWERED;
      }
      if (r.status >= 400 && r.status < 500 && r.status != 429) {
        *answer = json_incref(r.json);
        gw_reply_clear(&r);
        json_decref(body);
        return SENT_REFUSED;
      }
      /* 429, 5xx: not a refusal.  A 5xx other than database_unavailable
       * may have come after the refund was stored. */
      maybe_made = maybe_made || (r.status >= 500 && strcmp(gw_problem_code(&r), "database_unavailable") != 0);
      printf("The gateway could not take the refund now (%s); asking again with the same key.\n",
             gw_problem_text(&r, text, sizeof text));
      if (r.retry_after > 0)
        wait = r.retry_after < 10 ? r.retry_after : 10;
    } else {
      maybe_made = maybe_made || r.sent;
      note_reach(run, &r, false);
      wait = gw_reach_wait(&run->reach);
    }
    gw_reply_clear(&r);
    if (attempt < SEND_TRIES)
      pause_s(wait < 1 ? 1 : wait);
  }
  json_decref(body);
  return maybe_made ? SENT_UNKNOWN : SENT_NOTHING;
}

/* Follows a pending refund (GET .../refunds/{id}?wait=) until it ends, the
 * deadline passes or the POS is stopped; each answer replaces *refund. */
static void follow(struct pos_run *run, const struct pos_refund *rf, json_t **refund, time_t deadline)
{
  bool tty = isatty(STDOUT_FILENO) == 1;
  time_t start = time(NULL);
  char path[192], id[40];

  snprintf(id, sizeof id, "%s", jstr(*refund, "id"));
  while (!refund_status_final(jstr(*refund, "status")) && !pos_stop_requested && time(NULL) < deadline) {
    long left = (long)(deadline - time(NULL)), wait_s = tty ? 1 : 25, status;
    printf(tty ? "\r%s [%s] %lds   " : "%s [%s] %lds\n", "  Waiting for the card issuer's answer...",
           jstr(*refund, "status"), (long)(time(NULL) - start));
    fflush(stdout);
    if (wait_s > left - 1)
      wait_s = left > 1 ? left - 1 : 0;
    if (run->reach.down)
      wait_s = 0; /* after no answer, ask without waiting: is it back? */
    snprintf(path, sizeof path, "/v1/transactions/%s/refunds/%s?wait=%ld&status=%s", rf->transaction, id, wait_s,
             jstr(*refund, "status"));
    time_t asked = time(NULL);
    json_t *now = get_json(run, path, wait_s + 15, &status);
    if (now) {
      json_decref(*refund);
      *refund = now;
    }
    if (run->reach.down)
      pause_s(gw_reach_wait(&run->reach) < left ? gw_reach_wait(&run->reach) : left);
    else if (!refund_status_final(jstr(*refund, "status")) && time(NULL) - asked < 1)
      pause_s(1); /* refused, or answered at once: do not hammer */
  }
  if (tty)
    printf("\n");
}

/* The refund's end: receipt and journal line.  Returns an enum pos_exit. */
static int conclude(struct pos_run *run, const struct pos_refund *rf, const json_t *refund)
{
  const char *status = jstr(refund, "status");
  json_t *txn = payment_now(run, rf->transaction);
  char jstatus[32];
  int rc = POS_NETWORK;

  const json_t *why = json_object_get(refund, strcmp(status, "declined") == 0 ? "decline" : "failure");
  if (strcmp(status, "declined") == 0)
    printf("The card issuer declined the refund: %s (code %s). Nothing was refunded.\n", jstr(why, "reason"),
           *jstr(why, "code") ? jstr(why, "code") : "-");
  else if (strcmp(status, "failed") == 0)
    printf("The refund failed: %s.\n", jstr(why, "reason"));
  refund_receipt(stdout, run->conf.shop, rf->terminal, refund, txn);
  if (refund_status_final(status)) {
    snprintf(jstatus, sizeof jstatus, "refund_%s", status);
    if (journal_refund(run, rf, jstatus, refund, txn, NULL, NULL) != 0)
      printf("WARNING: the journal did not record this refund's end; the next start of pos asks the gateway again "
             "(with the same key: it answers this refund, it makes no second one).\n");
    rc = strcmp(status, "completed") == 0 ? POS_PAID : POS_NOT_PAID;
  } else {
    printf("REFUND PENDING: refund %s has not ended yet; `pos refund --resume` (or any later start of pos) follows "
           "it.\n",
           jstr(refund, "id"));
  }
  json_decref(txn);
  return rc;
}

/* A refusal: said in plain words and journaled as the refund's end. */
static int refused(struct pos_run *run, const struct pos_refund *rf, const json_t *problem, long http_status)
{
  json_t *txn =
      strcmp(jstr(problem, "code"), "refund_exceeds_refundable") == 0 ? payment_now(run, rf->transaction) : NULL;
  char text[600];

  refund_refusal_text(rf->transaction, rf->amount, http_status, problem, txn, text, sizeof text);
  printf("No refund: the gateway refused it: %s.\n", text);
  journal_refund(run, rf, "refund_refused", NULL, txn, *jstr(problem, "code") ? jstr(problem, "code") : NULL, text);
  json_decref(txn);
  return POS_NOT_PAID;
}

/* Sends rf (again) and follows it to its end for at most wait_s seconds.
 * Returns an enum pos_exit. */
static int settle(struct pos_run *run, const struct pos_refund *rf, bool sent_before, long wait_s)
{
  json_t *answer = NULL;
  long http_status = 0;
  char money[64];
  int rc;

  switch (send_refund(run, rf, sent_before, &answer, &http_status)) {
  case SENT_NOTHING: {
    const char *why = pos_stop_requested ? "stopped at the POS" : "the gateway could not be reached";
    printf("No refund: %s; nothing was sent.\n", why);
    journal_refund(run, rf, "refund_error", NULL, NULL, NULL, why);
    return POS_NETWORK;
  }
  case SENT_UNKNOWN:
    printf("OUTCOME UNKNOWN: the gateway did not answer; the refund of transaction %s may have been made. `pos "
           "refund --resume` (or the next start of pos) asks again with the same key.\n",
           rf->transaction);
    return POS_NETWORK;
  case SENT_REFUSED:
    rc = refused(run, rf, answer, http_status);
    json_decref(answer);
    return rc;
  case SENT_ANSWERED:
    break;
  }
  printf("Refund %s (%s) of %s on transaction %s: %s.\n", jstr(answer, "id"), jstr(answer, "kind"),
         money_format(rf->amount, jstr(answer, "currency"), money, sizeof money), rf->transaction,
         jstr(answer, "status"));
  follow(run, rf, &answer, time(NULL) + wait_s);
  rc = conclude(run, rf, answer);
  json_decref(answer);
  return rc;
}

/* The marks of refunds in flight, opened once.  Returns 0 or -1 (said). */
static int marks_setup(struct pos_run *run)
{
  char err[512];

  if (run->refund_marks < 0 && (run->refund_marks = refund_marks_open(run->conf.journal, err, sizeof err)) < 0) {
    fprintf(stderr, "pos: %s\n", err);
    return -1;
  }
  return 0;
}

int refund_command(struct pos_run *run)
{
  struct pos_refund *rf = &run->refund;
  char money[64];

  refund_terminal_code(run->conf.terminal, rf->terminal, sizeof rf->terminal);
  if (random_token(24, rf->key, sizeof rf->key) != 0 || marks_setup(run) != 0)
    return POS_USAGE;
  time_rfc3339(time(NULL), rf->requested_at, sizeof rf->requested_at);
  refund_hold(run->refund_marks, rf); /* a fresh key: nobody else holds it */
  /* recorded before sending: without this line nothing goes out */
  if (journal_refund(run, rf, "refund_pending", NULL, NULL, NULL, NULL) != 0) {
    printf("No refund: the journal cannot be written; nothing was sent to the gateway.\n");
    return POS_USAGE;
  }
  snprintf(money, sizeof money, "%lld", (long long)rf->amount);
  printf("Refund of %s (minor units) on transaction %s%s%s: asking the gateway...\n", money, rf->transaction,
         rf->reason[0] ? ", reason: " : "", rf->reason);
  int rc = settle(run, rf, false, run->conf.wait_timeout_s);
  refund_release(run->refund_marks, rf);
  return rc;
}

/* True when the journal's last line of rf's key is still refund_pending
 * (another POS may have ended it since the first read). */
static bool still_open(struct pos_run *run, const struct pos_refund *rf)
{
  struct refund_open *now = NULL;
  char err[128];
  bool open = false;
  FILE *j = fopen(run->conf.journal, "r");
  long n = j ? refund_journal_open(j, &now, err, sizeof err) : -1;

  for (long i = 0; i < n && !open; i++)
    open = strcmp(now[i].r.key, rf->key) == 0;
  refund_open_free(now, n);
  if (j)
    fclose(j);
  return open;
}

/* One refund without an end.  Returns 0 when it ended now, 1 when another
 * living POS holds it, -1 when it is still open. */
static int recover_one(struct pos_run *run, const struct refund_open *o, const char *me)
{
  const struct pos_refund *rf = &o->r;
  int rc = 0;

  if (strcmp(rf->terminal, me) != 0) {
    printf("The journal holds a refund of transaction %s asked by terminal %s without an end: only a POS with that "
           "terminal's credential asks again (its key is that terminal's).\n",
           rf->transaction, rf->terminal);
    return -1;
  }
  if (refund_hold(run->refund_marks, rf) != 0) {
    printf("The refund of %lld on transaction %s (%s) is in the hands of another POS, still running: left to it.\n",
           (long long)rf->amount, rf->transaction, rf->requested_at);
    return 1;
  }
  if (!still_open(run, rf)) {
    rc = 0;
  } else if (!refund_key_still_kept(rf, time(NULL))) {
    printf("The journal holds a refund of %lld on transaction %s from %s without an end, older than the 24 h the "
           "gateway keeps its key: it is not asked again (that could refund twice). Check it with `pos refunds "
           "--transaction %s`.\n",
           (long long)rf->amount, rf->transaction, rf->requested_at, rf->transaction);
    journal_refund(run, rf, "refund_unknown", NULL, NULL, NULL,
                   "the outcome was not learnt within the 24 h the gateway keeps the key");
  } else {
    printf("The journal holds a refund of %lld on transaction %s (%s) without an end: asking the gateway again "
           "with the same key...\n",
           (long long)rf->amount, rf->transaction, rf->requested_at);
    rc = settle(run, rf, true, RECOVERY_BUDGET_S) == POS_NETWORK ? -1 : 0;
  }
  refund_release(run->refund_marks, rf);
  return rc;
}

int refund_recover(struct pos_run *run)
{
  struct refund_open *open = NULL;
  char err[256], me[64];
  int rc = 0;

  FILE *j = fopen(run->conf.journal, "r");
  if (!j)
    return errno == ENOENT ? 0 : -1;
  long n = refund_journal_open(j, &open, err, sizeof err);
  fclose(j);
  if (n < 0) {
    fprintf(stderr, "pos: %s\n", err);
    return -1;
  }
  if (n > 0 && marks_setup(run) != 0)
    rc = -1;
  refund_terminal_code(run->conf.terminal, me, sizeof me);
  for (long i = 0; run->refund_marks >= 0 && i < n && !pos_stop_requested; i++)
    if (recover_one(run, &open[i], me) < 0)
      rc = -1;
  refund_open_free(open, n);
  return rc == 0 ? (int)n : -1;
}

int refunds_list(struct pos_run *run)
{
  char path[96];
  long status = 0;

  snprintf(path, sizeof path, "/v1/transactions/%s/refunds", run->refund.transaction);
  json_t *list = get_json(run, path, 30, &status);
  if (!list) {
    if (status == 404)
      printf("The gateway knows no transaction %s of this shop.\n", run->refund.transaction);
    else if (status)
      printf("The gateway refused the list of refunds (HTTP %ld).\n", status);
    else
      printf("The gateway could not be reached.\n");
    return status ? POS_NOT_PAID : POS_NETWORK;
  }
  json_t *txn = payment_now(run, run->refund.transaction);
  refund_list(stdout, list, *jstr(txn, "currency") ? jstr(txn, "currency") : NULL);
  json_decref(txn);
  json_decref(list);
  return POS_PAID;
}

/* refund and refunds: what each needs, and nothing else. */
int refund_options_check(const struct pos_run *run, bool list)
{
  const struct pos_refund *rf = &run->refund;

  if (!run->refunding)
    return 0;
  if (run->refund_resume && (list || rf->transaction[0] || rf->amount || rf->reason[0]))
    fprintf(stderr, "pos: refund --resume takes no --transaction, --amount or --reason\n");
  else if (list && (rf->amount || rf->reason[0]))
    fprintf(stderr, "pos: refunds takes --transaction only\n");
  else if (!run->refund_resume && (!rf->transaction[0] || (!list && !rf->amount)))
    fprintf(stderr, "pos: %s\n",
            list ? "refunds needs --transaction NUMBER"
                 : "refund needs --transaction NUMBER and --amount N (or --resume)");
  else
    return 0;
  return -1;
}

/* refund --resume: the start-up recovery ran; say what it found. */
int refund_resumed(const struct pos_run *run, int refunds_open)
{
  if (refunds_open == 0)
    printf("No refund is left without an end in the journal %s.\n", run->conf.journal);
  return refunds_open < 0 ? POS_NETWORK : POS_PAID;
}
