/* handler.c — the credit server's messages: who may send what (58), 0100
 * -> 0110 (authorize; a merchant's token 0100 and the 0600 -> 0610 are
 * token_handler.c's), 0400/0401 -> 0410 (reverse, also the void of an
 * approved sale), 0220/0221 -> 0230 (refund), 0800 -> 0810 (echo).  A message that does
 * not decode gets an answer with 30 when its MTI and STAN can be read, else
 * its connection is closed.  Answers never carry field 2; logs show the card
 * masked (first 6, last 4). */
#include "credit-server/handler.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/pan.h"
#include "credit-server/controls.h"
#include "credit-server/metrics.h"
#include "credit-server/credit.h"
#include "credit-server/issuer.h"
#include "credit-server/token_handler.h"

/* Fields an answer copies from its request, per docs/iso8583.md. */
static const int echo_0110[] = { 3, 4, 7, 11, 12, 13, 37, 41, 42, 49, 0 };
static const int echo_0410[] = { 3, 4, 7, 11, 41, 42, 49, 0 };
static const int echo_0230[] = { 3, 4, 7, 11, 41, 42, 49, 0 };
static const int echo_0810[] = { 7, 11, 70, 0 };
static const int echo_0610[] = { 7, 11, 41, 42, 60, 0 };

const int *handler_echo_for(const char *mti)
{
  if (strcmp(mti, ISO_MTI_AUTH_REQUEST) == 0)
    return echo_0110;
  if (strcmp(mti, ISO_MTI_REVERSAL_ADVICE) == 0 || strcmp(mti, ISO_MTI_REVERSAL_REPEAT) == 0)
    return echo_0410;
  if (strcmp(mti, ISO_MTI_ADMIN_REQUEST) == 0)
    return echo_0610;
  if (strcmp(mti, ISO_MTI_REFUND_ADVICE) == 0 || strcmp(mti, ISO_MTI_REFUND_REPEAT) == 0)
    return echo_0230;
  return echo_0810;
}

bool handler_answer_mti(const char *mti, char out[5])
{
  if (strlen(mti) != 4 || mti[2] % 2 != 0) /* x0x0, x2x0, ...: requests; odd: answers */
    return false;
  snprintf(out, 5, "%c%c%c0", mti[0], mti[1], mti[2] + 1);
  return true;
}

static bool digits(const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (p[i] < '0' || p[i] > '9')
      return false;
  return true;
}

static bool bit_set(const uint8_t *bitmap, int field)
{
  return bitmap[(field - 1) / 8] & (0x80 >> ((field - 1) % 8));
}

bool handler_salvage(const uint8_t *body, size_t len, char mti[5], char stan[7])
{
  size_t pos = 12;

  if (len < 12 || !digits(body, 4))
    return false;
  memcpy(mti, body, 4);
  mti[4] = '\0';
  const uint8_t *bitmap = body + 4;
  if (bit_set(bitmap, 1))
    pos += 8; /* the secondary bitmap: fields 65-128 do not matter here */
  if (!bit_set(bitmap, ISO_F_STAN) || pos > len)
    return false;
  for (int f = 2; f < ISO_F_STAN; f++) {
    if (!bit_set(bitmap, f))
      continue;
    const struct iso_field_def *def = iso_field_def(f);
    if (!def)
      return false;
    size_t n = (size_t)def->max_len;
    if (def->len_kind != ISO_LEN_FIXED) {
      size_t ll = def->len_kind == ISO_LEN_LLVAR ? 2 : 3;
      if (len - pos < ll || !digits(body + pos, ll))
        return false;
      n = 0;
      for (size_t i = 0; i < ll; i++)
        n = n * 10 + (size_t)(body[pos + i] - '0');
      pos += ll;
    }
    if (len - pos < n)
      return false;
    pos += n;
  }
  size_t stan_len = (size_t)iso_field_length(ISO_F_STAN);
  if (stan_len > 6 || len - pos < stan_len || !digits(body + pos, stan_len))
    return false; /* stan[] holds 6 (a unit test holds fields.c to it) */
  memcpy(stan, body + pos, stan_len);
  stan[stan_len] = '\0';
  return true;
}

/* Builds the answer: the request's echoed fields, then 38 (when given) and 39. */
bool handler_answer(const struct iso_msg *rq, const int *echo, const char *code, const char *approval, uint8_t *out,
                    size_t cap, size_t *out_len)
{
  struct iso_msg a;
  char mti[5];
  int rc = ISO_OK;

  if (!handler_answer_mti(rq->mti, mti))
    return false;
  iso_msg_init(&a, mti);
  for (const int *f = echo; *f; f++)
    if (iso_get(rq, *f))
      rc |= iso_set(&a, *f, iso_get(rq, *f));
  if (approval && *approval)
    rc |= iso_set(&a, ISO_F_APPROVAL_CODE, approval);
  rc |= iso_set(&a, ISO_F_RESPONSE_CODE, code);
  credit_metrics_answer(rq->mti, code); /* every answer is built here */
  return rc == ISO_OK && iso_pack(&a, out, cap, out_len) == ISO_OK;
}

static void log_refused(const char *mti, const char *why, int detail)
{
  log_event(LOG_INFO,
            json_pack("{s:s, s:s, s:s, s:i}", "msg", "malformed message", "mti", mti, "reason", why, "detail", detail));
}

/* A message whose whole does not decode: 30 if MTI and STAN are readable. */
static enum handler_step malformed(const uint8_t *body, size_t len, int err, uint8_t *out, size_t cap, size_t *out_len)
{
  struct iso_msg rq;
  char mti[5], stan[7];

  if (!handler_salvage(body, len, mti, stan)) {
    log_event(LOG_INFO, json_pack("{s:s, s:s}", "msg", "unreadable message; closing the connection", "reason",
                                  iso_strerror(err)));
    return HANDLER_CLOSE;
  }
  log_refused(mti, iso_strerror(err), err);
  iso_msg_init(&rq, mti);
  if (iso_set(&rq, ISO_F_STAN, stan) != ISO_OK
      || !handler_answer(&rq, echo_0110, ISO_RC_FORMAT_ERROR, NULL, out, cap, out_len))
    return HANDLER_CLOSE;
  return HANDLER_ANSWER;
}

enum handler_step handler_prepare(const uint8_t *body, size_t len, struct handler_job *job, uint8_t *out, size_t cap,
                                  size_t *out_len)
{
  memset(job, 0, sizeof *job);
  int err = iso_unpack(&job->request, body, len);
  if (err != ISO_OK)
    return malformed(body, len, err, out, cap, out_len);
  const char *mti = job->request.mti;
  char ans[5];
  if (!handler_answer_mti(mti, ans))
    return HANDLER_IGNORE;
  if (strcmp(mti, ISO_MTI_AUTH_REQUEST) == 0) {
    const char *pan = iso_get(&job->request, ISO_F_PAN);
    size_t n = pan ? strlen(pan) : 0;
    if (n >= 4)
      controls_for_card(pan + n - 4, &job->delay_ms, &job->drop);
  }
  return HANDLER_JOB;
}

/* --- the conversations ---------------------------------------------- */

static void log_authorization(const struct credit_request *rq, const struct authorize_result *res, bool dropped)
{
  char masked[PAN_MAX_LEN + 1], differs[40];

  pan_mask(rq->pan, masked, sizeof masked);
  /* a key match that is another request: what differed, never a value */
  credit_differs_text(res->differs, differs, sizeof differs);
  log_event(LOG_INFO,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:s, s:b, s:b}", "msg", "authorization",
                      "card", masked, "stan", rq->stan, "transmission_time", rq->transmission_time, "terminal",
                      rq->terminal_id, "merchant", rq->merchant_code, "amount", (json_int_t)rq->amount, "currency",
                      rq->currency, "method", rq->method, "response_code", res->response_code, "duplicate",
                      res->duplicate, "differs", differs, "charged", res->charged, "dropped", dropped));
}

static bool authorize(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len)
{
  struct credit_request rq;
  struct authorize_result res;
  int bad = 0;

  long now = (long)time(NULL);

  if (!credit_request_parse(&job->request, &rq, &bad)) {
    memset(rq.pan, 0, sizeof rq.pan);
    log_refused(job->request.mti, "a mandatory field is missing or wrong", bad);
    return handler_answer(&job->request, echo_0110, ISO_RC_FORMAT_ERROR, NULL, out, cap, out_len);
  }
  /* the key needs field 7 as a full time (docs/credit-server.md) */
  if (credit_transmission_instant(rq.transmission_time, now, &rq.transmitted_at) != 0) {
    memset(rq.pan, 0, sizeof rq.pan);
    log_refused(job->request.mti, "field 7 is not a date and time within half a year", ISO_F_TRANSMISSION_TIME);
    return handler_answer(&job->request, echo_0110, ISO_RC_FORMAT_ERROR, NULL, out, cap, out_len);
  }
  int outcome = issuer_authorize_from(job->peer.key, NULL, &rq, now, &res);
  if (outcome == -2) {
    /* it may have been charged: a 96 would read as a decline and never be
     * reversed, so say nothing and let the acquirer's reversal settle it */
    log_event(LOG_WARN,
              json_pack("{s:s, s:s, s:s}", "msg", "authorization outcome unknown (database lost); not answering",
                        "stan", rq.stan, "terminal", rq.terminal_id));
    memset(rq.pan, 0, sizeof rq.pan);
    return false;
  }
  if (outcome != 0) {
    memset(&res, 0, sizeof res);
    snprintf(res.response_code, sizeof res.response_code, "%s", ISO_RC_SYSTEM_ERROR);
  }
  log_authorization(&rq, &res, job->drop);
  if (res.duplicate)
    credit_metrics_duplicate();
  memset(rq.pan, 0, sizeof rq.pan);
  if (job->drop)
    return false;
  return handler_answer(&job->request, echo_0110, res.response_code, res.approval_code, out, cap, out_len);
}

/* Field 90 names the original by MTI, STAN and transmission time
 * (iso_original_decode); the time is placed in its year as the original's
 * was (at `now`). */
static bool reversal_parse(const struct iso_msg *m, long now, struct reversal_request *rv)
{
  const char *orig = iso_get(m, ISO_F_ORIGINAL_DATA), *term = iso_get(m, ISO_F_TERMINAL_ID);
  const char *amount = iso_get(m, ISO_F_AMOUNT), *merchant = iso_get(m, ISO_F_MERCHANT_ID);
  const char *currency = iso_get(m, ISO_F_CURRENCY);

  char orig_mti[5];

  memset(rv, 0, sizeof *rv);
  if (iso_original_decode(orig, orig_mti, sizeof orig_mti, rv->stan, sizeof rv->stan, rv->transmission_time,
                          sizeof rv->transmission_time)
          != ISO_OK
      || strcmp(orig_mti, ISO_MTI_AUTH_REQUEST) != 0 || !term || !iso_get(m, ISO_F_STAN))
    return false;
  if (credit_transmission_instant(rv->transmission_time, now, &rv->transmitted_at) != 0)
    return false;
  credit_rtrim_copy(rv->terminal_id, sizeof rv->terminal_id, term);
  if (!rv->terminal_id[0])
    return false;
  credit_rtrim_copy(rv->merchant_code, sizeof rv->merchant_code, merchant ? merchant : "");
  snprintf(rv->currency, sizeof rv->currency, "%s", currency ? currency : "000");
  for (const char *p = amount ? amount : ""; *p; p++)
    rv->amount = rv->amount * 10 + (*p - '0');
  return true;
}

static bool reverse(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len)
{
  struct reversal_request rv;
  enum reversal_outcome outcome;
  const char *code;

  if (!reversal_parse(&job->request, (long)time(NULL), &rv)) {
    log_refused(job->request.mti, "field 90, 41 or 11 is missing or wrong", ISO_F_ORIGINAL_DATA);
    return handler_answer(&job->request, echo_0410, ISO_RC_FORMAT_ERROR, NULL, out, cap, out_len);
  }
  if (issuer_reverse_request(job->peer.key, &rv, &outcome) != 0)
    code = ISO_RC_SYSTEM_ERROR;
  else
    code = outcome == REVERSAL_NOT_FOUND ? ISO_RC_ORIGINAL_NOT_FOUND : ISO_RC_APPROVED;
  log_event(LOG_INFO, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "msg", "reversal", "mti", job->request.mti,
                                "peer", job->peer.key, "original_stan", rv.stan, "original_time", rv.transmission_time,
                                "terminal", rv.terminal_id, "outcome",
                                code[0] == '9'                ? "error"
                                : outcome == REVERSAL_UNDONE  ? "undone"
                                : outcome == REVERSAL_ALREADY ? "nothing to undo"
                                                              : "original not found",
                                "response_code", code));
  return handler_answer(&job->request, echo_0410, code, NULL, out, cap, out_len);
}

static const char *refund_outcome_text(const char *code, enum refund_outcome outcome)
{
  if (code[0] == '9' && outcome != REFUND_CONFLICT)
    return "error";
  return outcome == REFUND_REPLAYED   ? "answered before"
         : outcome == REFUND_CONFLICT ? "other refund under the key"
                                      : "decided";
}

/* A 0220/0221: decided under a lock of the original (issuer.do_refund); a
 * repeat meets the first answer.  96 when the database failed: nothing was
 * refunded, and the acquirer repeats. */
static bool refund(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len)
{
  struct refund_request rf;
  enum refund_outcome outcome = REFUND_DECIDED;
  char code[3];
  int bad = 0;

  if (!credit_refund_parse(&job->request, (long)time(NULL), &rf, &bad)) {
    log_refused(job->request.mti, "a refund field is missing or wrong", bad);
    return handler_answer(&job->request, echo_0230, ISO_RC_FORMAT_ERROR, NULL, out, cap, out_len);
  }
  if (issuer_refund_request(job->peer.key, &rf, &outcome, code) != 0)
    snprintf(code, sizeof code, "%s", ISO_RC_SYSTEM_ERROR);
  log_event(LOG_INFO, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "msg", "refund",
                                "mti", job->request.mti, "peer", job->peer.key, "stan", rf.stan, "transmission_time",
                                rf.transmission_time, "original_stan", rf.original_stan, "original_time",
                                rf.original_transmission_time, "terminal", rf.terminal_id, "merchant", rf.merchant_code,
                                "amount", (json_int_t)rf.amount, "currency", rf.currency, "outcome",
                                refund_outcome_text(code, outcome), "response_code", code));
  return handler_answer(&job->request, echo_0230, code, NULL, out, cap, out_len);
}

static bool echo(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len)
{
  const char *code = iso_get(&job->request, ISO_F_NETWORK_CODE);
  bool ok = code && strcmp(code, "301") == 0 && iso_get(&job->request, ISO_F_STAN);

  return handler_answer(&job->request, echo_0810, ok ? ISO_RC_APPROVED : ISO_RC_FORMAT_ERROR, NULL, out, cap, out_len);
}

/* "Who may send what" (credit_permission): 58, nothing stored. */
static bool not_permitted(struct handler_job *job, const char *code, uint8_t *out, size_t cap, size_t *out_len)
{
  log_event(LOG_INFO,
            json_pack("{s:s, s:s, s:s, s:s}", "msg", "message not permitted from this peer", "mti", job->request.mti,
                      "peer", job->peer.key[0] ? job->peer.key : "?", "response_code", code));
  return handler_answer(&job->request, handler_echo_for(job->request.mti), code, NULL, out, cap, out_len);
}

bool handler_run(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len)
{
  const char *mti = job->request.mti;
  const char *refused = credit_permission(&job->peer, &job->request);

  if (refused)
    return not_permitted(job, refused, out, cap, out_len);
  if (strcmp(mti, ISO_MTI_AUTH_REQUEST) == 0)
    return job->peer.role == PEER_MERCHANT ? token_authorize(job, out, cap, out_len)
                                           : authorize(job, out, cap, out_len);
  if (strcmp(mti, ISO_MTI_ADMIN_REQUEST) == 0)
    return token_key_delivery(job, out, cap, out_len);
  if (strcmp(mti, ISO_MTI_REVERSAL_ADVICE) == 0 || strcmp(mti, ISO_MTI_REVERSAL_REPEAT) == 0)
    return reverse(job, out, cap, out_len);
  if (strcmp(mti, ISO_MTI_REFUND_ADVICE) == 0 || strcmp(mti, ISO_MTI_REFUND_REPEAT) == 0)
    return refund(job, out, cap, out_len);
  if (strcmp(mti, ISO_MTI_NETWORK_REQUEST) == 0)
    return echo(job, out, cap, out_len);
  /* a request type we do not serve */
  log_refused(mti, "message type not served", 0);
  return handler_answer(&job->request, echo_0810, ISO_RC_FORMAT_ERROR, NULL, out, cap, out_len);
}
