/* payment.c — see payment.h and ep_payment_method_post.c. */
#include "gateway/payment.h"
#include "gateway/db/handset.h"
#include "gateway/db/authorization.h"
#include "gateway/mailbox.h"
#include "gateway/methods.h"
#include "gateway/money.h"
#include "gateway/settings.h"
#include "gateway/sweep.h"
#include "common/log.h"
#include "iso8583/iso8583.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAILED_REASON "the issuer did not answer in time; the authorization is being reversed"

void payment_prepare(struct payment *p, const char *currency_alpha, const char *merchant_code, int64_t amount)
{
  const struct currency *cur = currency_by_alpha(currency_alpha);

  snprintf(p->currency_alpha, sizeof p->currency_alpha, "%s", currency_alpha);
  snprintf(p->currency_numeric, sizeof p->currency_numeric, "%s", cur ? cur->numeric : "000");
  snprintf(p->merchant_code, sizeof p->merchant_code, "%s", merchant_code);
  p->auth.amount = amount;
  p->auth.pan = p->pan;
  p->auth.expiry = p->expiry;
  p->auth.currency_numeric = p->currency_numeric;
  p->auth.merchant_code = p->merchant_code;
  p->auth.method = p->method[0] ? p->method : NULL;
}

int payment_begin(struct db *db, struct payment *p, const struct begin_auth_out *b, const char *method,
                  int installments)
{
  memset(p, 0, sizeof *p);
  snprintf(p->ref.id, sizeof p->ref.id, "%s", b->id);
  snprintf(p->ref.number, sizeof p->ref.number, "%s", b->card.number);
  snprintf(p->ref.user_id, sizeof p->ref.user_id, "%s", b->user_id);
  snprintf(p->ref.device_id, sizeof p->ref.device_id, "%s", b->device_id);
  snprintf(p->method, sizeof p->method, "%s", method);
  payment_prepare(p, b->currency, b->merchant_code, b->total);
  p->auth.installments = installments;
  p->auth.stan = b->stan;
  snprintf(p->auth.transmission_time, sizeof p->auth.transmission_time, "%s", b->transmission_time);
  snprintf(p->auth.terminal_field, sizeof p->auth.terminal_field, "%s", b->terminal_field);
  if (methods_card_decrypt(&b->card, p->pan, p->expiry, p->masked) == 0)
    return 0;
  /* it decrypted at the confirmation and its row has not changed since
   * (gateway.card_digest): only the card key file can have; the
   * authorization is recorded but never sent, and is settled like one
   * without an answer (failed; the sweeper's reversal is refused as
   * unknown or acknowledged) */
  p->card_unreadable = true;
  payment_fail(db, p);
  return -1;
}

/* One statement: answer recorded, payment ended, handset told.  DB_ONE_ROW
 * only when all three happened. */
static enum db_status record_answer(struct db *db, struct payment *p)
{
  bool approved = strcmp(p->answer.response_code, ISO_RC_APPROVED) == 0;
  const char *status = approved ? "completed" : "declined";
  const char *reason = approved ? NULL : iso_response_text(p->answer.response_code);
  char *message, sig[90];

  if (mailbox_seal(txn_completion_message(&p->ref, status, approved ? p->answer.approval_code : NULL, reason), &message,
                   sig)
      != 0)
    return DB_HARD_ERROR;
  struct auth_answer_in in = {
    .txn_id = p->ref.id,
    .response_code = p->answer.response_code,
    .approval_code = p->answer.approval_code,
    .status = status,
    .reason = reason,
    .txn_approval_code = approved ? p->answer.approval_code : NULL,
    .message = message,
    .signature = sig,
  };
  enum db_status st = db_auth_record_answer(db, &in);
  free(message);
  return st;
}

/* No answer in time: the payment fails, the handset is told, and the
 * reversal falls due; the NOTIFY (delivered at commit) wakes the sweeper,
 * which sends it, so the shopper's request never waits for reversals.
 * One call (gateway.do_fail_authorization). */
static enum db_status record_failure(struct db *db, struct payment *p, struct auth_fail_out *out)
{
  char *message, sig[90];

  if (mailbox_seal(txn_completion_message(&p->ref, "failed", NULL, FAILED_REASON), &message, sig) != 0)
    return DB_HARD_ERROR;
  struct auth_fail_in in = {
    .txn_id = p->ref.id,
    .reason = FAILED_REASON,
    .message = message,
    .signature = sig,
    .wake = SWEEPER_CHANNEL,
  };
  enum db_status st = db_auth_fail(db, &in, out);
  free(message);
  return st;
}

/* How the transaction ended, as the failure's call found it stored. */
static enum payment_outcome settled_outcome(const struct auth_fail_out *f)
{
  return strcmp(f->txn_status, "completed") == 0  ? PAYMENT_COMPLETED
         : strcmp(f->txn_status, "declined") == 0 ? PAYMENT_DECLINED
                                                  : PAYMENT_FAILED;
}

void payment_fail(struct db *db, struct payment *p)
{
  struct auth_fail_out f;

  p->outcome = PAYMENT_FAILED;
  if (record_failure(db, p, &f) < 0)
    log_msg(LOG_ERROR, "cannot record the end of %s; the sweeper will settle it", p->ref.number);
}

void payment_send_and_finish(struct db *db, struct payment *p)
{
  struct auth_fail_out f;

  if (issuer_authorize(&p->auth, &p->answer, settings.issuer_timeout_ms) == ISSUER_ANSWERED
      && record_answer(db, p) == DB_ONE_ROW) {
    p->outcome = strcmp(p->answer.response_code, ISO_RC_APPROVED) == 0 ? PAYMENT_COMPLETED : PAYMENT_DECLINED;
    return;
  }
  /* no answer in time (or it could not be recorded): fail and reverse */
  p->outcome = PAYMENT_FAILED;
  enum db_status st = record_failure(db, p, &f);
  if (st >= 0 && !f.was_sent) {
    /* already settled: our answer was recorded though its reply was lost,
     * or the sweeper reversed it; reversing again would undo a payment */
    p->outcome = settled_outcome(&f);
    return;
  }
  if (st < 0) {
    /* The database is gone, and with it the knowledge of whether the
     * answer was recorded (its commit may have succeeded before the
     * connection broke): reversing now could undo a payment the POS will
     * see as completed.  The authorization row is "sent" unless the answer
     * was recorded; the sweeper reverses it once it can read which. */
    log_msg(LOG_ERROR, "cannot record the end of %s; the sweeper will settle it", p->ref.number);
    p->outcome = PAYMENT_UNKNOWN;
    return;
  }
  log_msg(LOG_WARN, "no answer from the issuer for %s; the sweeper reverses it", p->ref.number);
}

const char *payment_outcome_word(enum payment_outcome o)
{
  return o == PAYMENT_COMPLETED  ? "completed"
         : o == PAYMENT_DECLINED ? "declined"
         : o == PAYMENT_FAILED   ? "failed"
                                 : NULL;
}

void payment_wipe(struct payment *p)
{
  OPENSSL_cleanse(p->pan, sizeof p->pan);
}
