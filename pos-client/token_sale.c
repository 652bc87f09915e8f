/* token_sale.c — the second half of `pos token-sale` ([0162]-[0163], S16-
 * S21), `pos token-void`, and the start-up recovery (pos.h).  The rule the
 * gateway keeps holds here too: what is sent is recorded before it is sent.
 * The journal's `token_pending` line (key ID, encrypted card number, STAN,
 * field 7: everything a reversal needs) is written and synced before the
 * 0100 goes out; its end (`token_completed`, `token_declined`,
 * `token_reversed`) after.  A POS that dies in between leaves the line
 * without an end, and the next `pos` on the same journal reverses the sale
 * before anything else: the credit server answers 00 (reversed) or 25
 * (never saw the 0100), both settle it, so the sale is charged once or not
 * at all. */
#include "pos-client/pos.h"
#include "proxlink/clientutil.h"
#include "common/config.h"
#include "iso8583/authmsg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The recovery's time for one sale at start-up: a credit server that does
 * not acknowledge within it is asked again at the next start. */
#define RECOVERY_BUDGET_S 30

static const char *jstr(const json_t *o, const char *name)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v ? v : "";
}

int token_setup(struct pos_run *run)
{
  char err[512];

  if (posconf_credit_check(&run->conf, err, sizeof err) != 0) {
    fprintf(stderr, "pos: %s\n", err);
    return -1;
  }
  if (run->stan.fd < 0 && stan_open(&run->stan, run->conf.journal, err, sizeof err) != 0) {
    fprintf(stderr, "pos: %s\n", err);
    return -1;
  }
  if (!run->credit.ctx && credit_open(&run->credit, &run->conf, err, sizeof err) != 0) {
    fprintf(stderr, "pos: cannot set up TLS for the credit server: %s\n", err);
    return -1;
  }
  return 0;
}

/* One line of this sale in the journal. */
static int journal_token(struct pos_run *run, const char *status, const json_t *answer, const char *response_code,
                         const char *approval_code, const char *reason)
{
  char when[32];

  time_rfc3339(time(NULL), when, sizeof when);
  return pos_journal_write(run, token_journal_line(&run->sale, when, status, run->user_id, answer, run->tok,
                                                   response_code, approval_code, reason));
}

/* A later line of the sale an earlier journal line describes (recovery,
 * void): that line with a new time and status. */
static int journal_after(struct pos_run *run, const json_t *line, const char *status, const char *response_code,
                         const char *reason)
{
  char when[32];
  json_t *copy = json_deep_copy(line);

  time_rfc3339(time(NULL), when, sizeof when);
  json_object_set_new(copy, "time", json_string(when));
  json_object_set_new(copy, "status", json_string(status));
  json_object_del(copy, "approval_code");
  json_object_del(copy, "reason");
  if (response_code)
    json_object_set_new(copy, "response_code", json_string(response_code));
  if (reason)
    json_object_set_new(copy, "reason", json_string(reason));
  char *text = json_dumps(copy, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(copy);
  return pos_journal_write(run, text);
}

/* Sleeps up to s seconds, less when asked to stop. */
static void pause_s(long s)
{
  for (long i = 0; i < s && !pos_stop_requested; i++)
    sleep(1);
}

/* Reverses t's 0100: a 0400, then 0401 repeats with back-off until the
 * credit server acknowledges (0410 with 00, or 25: it never saw the 0100),
 * a signal, or budget_s (0: none) runs out.  Returns 0 with the code in
 * code (3 bytes), or -1. */
static int reverse(struct pos_run *run, const struct token_sale *t, long budget_s, char code[3])
{
  struct iso_auth_fields f;
  struct iso_msg m, answer;
  time_t start = time(NULL);
  long wait = 1, max = config_long("PAYGW_CLIENT_BACKOFF_MAX", GW_REACH_BACKOFF_MAX, 1, 300);

  token_auth_fields(t, &f);
  for (bool repeat = false;; repeat = true) {
    if (iso_reversal_build(&m, &f, repeat) != ISO_OK) {
      fprintf(stderr, "pos: cannot build the reversal of STAN %06lu\n", t->stan);
      return -1;
    }
    if (credit_exchange(&run->credit, &m, ISO_MTI_REVERSAL_RESPONSE, &answer) == 0) {
      const char *c = iso_get(&answer, ISO_F_RESPONSE_CODE);
      if (c && (strcmp(c, ISO_RC_APPROVED) == 0 || strcmp(c, ISO_RC_ORIGINAL_NOT_FOUND) == 0)) {
        snprintf(code, 3, "%s", c);
        return 0;
      }
      snprintf(run->credit.error, sizeof run->credit.error, "answered %s", c ? c : "without a code");
    }
    if (pos_stop_requested || (budget_s && time(NULL) - start + wait > budget_s))
      return -1;
    printf("The credit server did not acknowledge the reversal of STAN %06lu (%s); sending it again (0401) in %ld "
           "s.\n",
           t->stan, run->credit.error, wait);
    pause_s(wait);
    if (pos_stop_requested)
      return -1;
    wait = wait * 2 > max ? max : wait * 2;
  }
}

/* A token request that ended without a token (rejected, canceled, expired,
 * failed) or whose end the POS never learnt. */
static int not_issued(struct pos_run *run, const json_t *answer, const char *shop)
{
  const char *status = jstr(answer, "status");
  char jstatus[32];

  if (!token_status_final(status)) {
    printf("OUTCOME UNKNOWN: the gateway did not say how token request %s ended (last seen: %s); nothing was sent "
           "to the credit server.\n",
           run->number, *status ? status : "-");
    journal_token(run, "token_unknown", answer, NULL, NULL, "the token request's end is unknown");
    return POS_NETWORK;
  }
  snprintf(jstatus, sizeof jstatus, "token_%s", status);
  const char *reason = *jstr(answer, "reason") ? jstr(answer, "reason") : "no reason given";
  printf("No payment: the token request was %s (%s).\n", status, reason);
  token_receipt(stdout, &run->sale, shop, jstatus, answer, NULL, NULL, NULL, reason);
  journal_token(run, jstatus, answer, NULL, NULL, NULL);
  return POS_NOT_PAID;
}

/* No 0110 in time: reverse, and say how it ended. */
static int no_answer(struct pos_run *run, const json_t *answer, const char *shop)
{
  char code[3];

  printf("No answer from the credit server (%s): reversing the authorization (0400)...\n", run->credit.error);
  if (reverse(run, run->tok, 0, code) != 0) {
    printf("OUTCOME UNKNOWN: the reversal of STAN %06lu was not acknowledged; the next start of pos sends it "
           "again.\n",
           run->tok->stan);
    return POS_NETWORK; /* the pending line stays: token_recover settles it */
  }
  printf("The credit server acknowledged the reversal (code %s): nothing is charged.\n", code);
  token_receipt(stdout, &run->sale, shop, "token_reversed", answer, run->tok, NULL, NULL,
                "no answer from the credit server; reversed");
  journal_token(run, "token_reversed", answer, code, NULL, "no answer from the credit server");
  return POS_NOT_PAID;
}

int token_conclude(struct pos_run *run, const json_t *answer)
{
  const char *shop = *jstr(answer, "shop") ? jstr(answer, "shop") : run->conf.shop;
  static struct token_sale t;
  struct iso_msg m, reply;
  char err[512];
  int rc;

  if (strcmp(jstr(answer, "status"), "issued") != 0)
    return not_issued(run, answer, shop);
  if (token_sale_from_answer(&t, answer, &run->sale, run->method, run->installments, err, sizeof err) != 0) {
    printf("No payment: %s; nothing was sent to the credit server.\n", err);
    journal_token(run, "token_failed", answer, NULL, NULL, err);
    return POS_NOT_PAID;
  }
  if (pos_stop_requested) { /* stopped while the token came: do not use it */
    printf("No payment: stopped at the POS; the token was not used and expires unused.\n");
    journal_token(run, "token_canceled", answer, NULL, NULL, "stopped at the POS before the credit request");
    return POS_NOT_PAID;
  }
  if (token_setup(run) != 0) {
    journal_token(run, "token_failed", answer, NULL, NULL, "the POS's credit server settings do not work");
    return POS_USAGE;
  }
  if (stan_next(&run->stan, &t.stan, err, sizeof err) != 0) {
    fprintf(stderr, "pos: %s\n", err);
    journal_token(run, "token_failed", answer, NULL, NULL, "the POS cannot take a STAN");
    return POS_USAGE;
  }
  iso_transmission_time_now(t.transmission_time);
  run->tok = &t;
  if (token_build_request(&t, &m) != ISO_OK) {
    printf("No payment: the token does not fit an ISO 8583 request.\n");
    journal_token(run, "token_failed", answer, NULL, NULL, "the token does not fit an ISO 8583 request");
    return POS_NOT_PAID;
  }
  /* recorded before sending: without this line nothing goes out */
  if (journal_token(run, "token_pending", answer, NULL, NULL, NULL) != 0) {
    printf("No payment: the journal cannot be written; nothing was sent to the credit server.\n");
    return POS_USAGE;
  }
  printf("Token issued (key ID %s). Asking the credit server %s for the authorization (STAN %06lu)...\n", t.key_id,
         run->conf.credit_addr, t.stan);
  if (credit_exchange(&run->credit, &m, ISO_MTI_AUTH_RESPONSE, &reply) != 0) {
    rc = no_answer(run, answer, shop);
  } else {
    const char *code = iso_get(&reply, ISO_F_RESPONSE_CODE), *approval = iso_get(&reply, ISO_F_APPROVAL_CODE);
    bool approved = code && strcmp(code, ISO_RC_APPROVED) == 0;
    const char *status = approved ? "token_completed" : "token_declined";
    if (!approved)
      printf("Declined by the credit server: %s (code %s).\n", iso_response_text(code), code ? code : "-");
    token_receipt(stdout, &run->sale, shop, status, answer, &t, code, approval, NULL);
    if (journal_token(run, status, answer, code ? code : "", approved ? approval : NULL, NULL) != 0 && approved)
      printf("WARNING: the journal did not record this sale's end: the next start of pos reverses it (refunds the "
             "shopper) unless the line is added by hand.\n");
    rc = approved ? POS_PAID : POS_NOT_PAID;
  }
  if (rc != POS_NETWORK)
    stan_release(&run->stan, t.stan);
  return rc;
}

/* One sale in doubt: reverse it, unless a living POS holds it or a later
 * line (written meanwhile by another POS) has settled it. */
static int recover_one(struct pos_run *run, const struct token_open *o)
{
  struct token_open *now = NULL;
  char err[256], code[3];
  bool still = false;

  if (stan_hold(&run->stan, o->t.stan) != 0)
    return 0; /* its POS is alive and still on it */
  FILE *j = fopen(run->conf.journal, "r");
  long n = j ? token_journal_open(j, &now, err, sizeof err) : -1;
  for (long i = 0; i < n && !still; i++)
    still = now[i].t.stan == o->t.stan && strcmp(now[i].t.transmission_time, o->t.transmission_time) == 0
            && strcmp(now[i].status, o->status) == 0;
  token_open_free(now, n);
  if (j)
    fclose(j);
  int rc = 0;
  if (still) {
    bool void_ = strcmp(o->status, "token_voiding") == 0;
    printf("The journal holds %s STAN %06lu (key ID %s, %s) without an end: reversing it first...\n",
           void_ ? "a void of" : "the token sale", o->t.stan, o->t.key_id, jstr(o->line, "time"));
    if (reverse(run, &o->t, RECOVERY_BUDGET_S, code) == 0) {
      printf("Reversed STAN %06lu (code %s).\n", o->t.stan, code);
      journal_after(run, o->line, void_ ? "token_voided" : "token_reversed", code,
                    void_ ? NULL : "reversed at the next start: the outcome of the 0100 was unknown");
    } else {
      printf("The reversal of STAN %06lu was not acknowledged (%s); the next start sends it again.\n", o->t.stan,
             run->credit.error);
      rc = -1;
    }
  }
  stan_release(&run->stan, o->t.stan);
  return rc;
}

int token_recover(struct pos_run *run)
{
  struct token_open *open = NULL;
  char err[256];
  int rc = 0;

  FILE *j = fopen(run->conf.journal, "r");
  if (!j)
    return errno == ENOENT ? 0 : -1;
  long n = token_journal_open(j, &open, err, sizeof err);
  fclose(j);
  if (n < 0) {
    fprintf(stderr, "pos: %s\n", err);
    return -1;
  }
  if (n > 0 && token_setup(run) != 0) {
    printf("The journal holds %ld token sale(s) in doubt, but the credit server is not configured: they are "
           "reversed at a start that has its settings.\n",
           n);
    rc = -1;
  }
  for (long i = 0; rc == 0 && i < n && !pos_stop_requested; i++)
    if (recover_one(run, &open[i]) != 0)
      rc = -1;
  token_open_free(open, n);
  return rc;
}

int token_void(struct pos_run *run)
{
  struct token_sale t;
  json_t *line = NULL;
  char status[32], code[3];
  FILE *j = fopen(run->conf.journal, "r");
  int found = j ? token_journal_find_completed(j, run->key_id, &t, &line, status, sizeof status) : -1;

  if (j)
    fclose(j);
  if (found < 0) {
    printf("No token sale with key ID %s in the journal %s.\n", run->key_id, run->conf.journal);
    return POS_NOT_PAID;
  }
  if (found > 0) {
    printf("The token sale with key ID %s cannot be voided: its journal says %s.\n", run->key_id, status);
    return POS_NOT_PAID;
  }
  if (token_setup(run) != 0) {
    json_decref(line);
    return POS_USAGE;
  }
  int rc = POS_NETWORK;
  if (stan_hold(&run->stan, t.stan) != 0) {
    printf("Another POS is working on the sale with key ID %s; try again later.\n", run->key_id);
  } else if (journal_after(run, line, "token_voiding", NULL, NULL) == 0) {
    printf("Voiding the token sale STAN %06lu (key ID %s, total %lld): reversal (0400) to the credit server...\n",
           t.stan, t.key_id, (long long)t.amount);
    if (reverse(run, &t, 0, code) == 0) {
      journal_after(run, line, "token_voided", code, NULL);
      printf("SALE VOIDED: the credit server reversed the authorization (code %s); key ID %s.\n", code, t.key_id);
      rc = POS_PAID;
    } else {
      printf("OUTCOME UNKNOWN: the reversal was not acknowledged; the next start of pos sends it again.\n");
    }
  }
  stan_release(&run->stan, t.stan);
  json_decref(line);
  return rc;
}
