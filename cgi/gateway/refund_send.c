/* refund_send.c — refund_send_and_record (refund.h): one attempt of a
 * refund toward the credit server and what came of it.  A void is the
 * reversal of the original authorization (0400, repeats 0401: its STAN,
 * field 7 and terminal, issuer_reverse_answer); a refund a refund advice
 * (0220, repeats 0221: its own STAN and field 7, field 90 naming the
 * original, issuer_refund).  Exactly once toward the issuer: the attempt
 * was counted and leased in the database before this is called (by
 * gateway.do_create_refund for the first, do_claim_refund for a repeat),
 * and the issuer answers a repeat as it answered the first. */
#include "gateway/refund.h"
#include "gateway/db/refund.h"
#include "gateway/issuer_link.h"
#include "gateway/mailbox.h"
#include "gateway/money.h"
#include "gateway/timefmt.h"
#include "common/log.h"
#include "iso8583/iso8583.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sends the attempt; ISSUER_ANSWERED with the code in answer. */
static enum issuer_result send_attempt(const struct refund_row *r, bool repeat, struct issuer_answer *answer,
                                       long timeout_ms)
{
  const struct currency *cur = currency_by_alpha(r->currency);
  const char *numeric = cur ? cur->numeric : "000";

  if (strcmp(r->kind, "void") == 0) {
    struct issuer_auth a = {
      .amount = r->amount, .currency_numeric = numeric, .merchant_code = r->merchant_code, .stan = r->orig_stan
    };
    snprintf(a.terminal_field, sizeof a.terminal_field, "%s", r->terminal_code);
    snprintf(a.transmission_time, sizeof a.transmission_time, "%s", r->orig_time);
    return issuer_reverse_answer(&a, repeat, answer, timeout_ms);
  }
  struct issuer_refund f = { .amount = r->amount,
                             .currency_numeric = numeric,
                             .merchant_code = r->merchant_code,
                             .stan = r->stan,
                             .orig_stan = r->orig_stan };
  snprintf(f.terminal_field, sizeof f.terminal_field, "%s", r->terminal_code);
  snprintf(f.transmission_time, sizeof f.transmission_time, "%s", r->transmission_time);
  snprintf(f.orig_time, sizeof f.orig_time, "%s", r->orig_time);
  return issuer_refund(&f, repeat, answer, timeout_ms);
}

struct seal_ctx {
  const struct refund_row *r;
  char issued_at[RFC3339_LEN];
};

/* The handset's message for the figure the database gave (refund_seal_fn). */
static int seal_message(void *vctx, int64_t refunded, char **message, char sig[90])
{
  struct seal_ctx *c = vctx;
  return mailbox_seal(refund_message(c->r, refunded, c->issued_at), message, sig);
}

static enum db_status record_answer(struct db *db, struct refund_row *r, const char *code)
{
  bool approved = strcmp(code, ISO_RC_APPROVED) == 0;
  struct seal_ctx c = { .r = r };
  struct refund_record_in in = {
    .refund_id = r->id,
    .response_code = code,
    .reason = approved ? NULL : iso_response_text(code),
    .seal = seal_message,
    .seal_ctx = &c,
  };
  struct refund_answer_out out;

  rfc3339(time(NULL), c.issued_at);
  enum db_status st = db_refund_record(db, &in, &out);
  if (st == DB_ONE_ROW && out.outcome != REFUND_ANSWER_SETTLED) {
    snprintf(r->status, sizeof r->status, "%s", approved ? "completed" : "declined");
    snprintf(r->response_code, sizeof r->response_code, "%s", code);
    snprintf(r->outcome_reason, sizeof r->outcome_reason, "%s", approved ? "" : iso_response_text(code));
  }
  return st;
}

enum refund_attempt refund_send_and_record(struct db *db, struct refund_row *r, long timeout_ms, long retry_ms)
{
  struct issuer_answer answer;
  bool repeat = r->attempts > 1;
  bool answered = send_attempt(r, repeat, &answer, timeout_ms) == ISSUER_ANSWERED;
  const char *mti = strcmp(r->kind, "void") == 0 ? (repeat ? "0401" : "0400") : (repeat ? "0221" : "0220");
  enum refund_attempt outcome = REFUND_UNANSWERED;

  if (answered)
    outcome = record_answer(db, r, answer.response_code) == DB_ONE_ROW ? REFUND_ANSWERED : REFUND_NOT_RECORDED;
  else if (retry_ms >= 0)
    db_refund_retry(db, r->id, r->attempts, retry_ms);
  /* not recorded: the row stays pending, and the sweeper's repeat (the
   * issuer answers it as the first) records it */
  int stan = strcmp(r->kind, "void") == 0 ? r->orig_stan : r->stan; /* a void is sent under the original's */
  json_t *line =
      json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:b}", "msg", "refund attempt", "refund", r->id, "transaction",
                r->number, "mti", mti, "stan", stan, "attempt", r->attempts, "answered", answered);
  if (answered)
    json_object_set_new(line, "response_code", json_string(answer.response_code));
  if (outcome == REFUND_NOT_RECORDED)
    json_object_set_new(line, "recorded", json_false());
  if (!answered && retry_ms >= 0)
    json_object_set_new(line, "retry_in_ms", json_integer(retry_ms));
  json_object_set_new(line, "pid", json_integer((json_int_t)getpid()));
  log_event(answered && outcome == REFUND_ANSWERED ? LOG_INFO : LOG_WARN, line);
  return outcome;
}
