/* ep_refunds_post.c — POST /v1/transactions/{number}/refunds (issue 15,
 * docs/api.md "Refunds"): any terminal of the payment's merchant gives
 * back some or all of a completed payment.  Idempotency-Key required.  The
 * void's day and cut-off are read first (db/refund_void_facts.c,
 * refund.c); then one call decides everything under the payment's lock
 * (db/refund_create.c, gateway.do_create_refund): 404 for another
 * merchant's payment, the key (replay: the refund's current state; other
 * body: 409), 409 wrong_state unless completed, 409
 * refund_exceeds_refundable above what is left, else the refund recorded
 * pending with attempt 1 leased.  Only then is it sent (0220 or, for a
 * void, the 0400 of the original authorization) and the answer awaited up
 * to PAYGW_ISSUER_TIMEOUT_MS: 201 with the refund completed, declined, or
 * still pending (the sweeper repeats it). */
#include "gateway/db/refund.h"
#include "gateway/endpoints.h"
#include "gateway/post_checks.h"
#include "gateway/refund.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/sweep.h"
#include "gateway/txn.h"
#include "gateway/validate.h"

#include <stdio.h>
#include <string.h>

/* The first attempt's lease: the issuer's time-out, the connect and a margin. */
#define FIRST_LEASE_MARGIN_MS 2000

const struct field refund_spec[] = {
  { .name = "amount",
    .type = FIELD_INT,
    .required = true,
    .min = 1,
    .max = 999999999999LL,
    .offset = offsetof(struct refund_body, amount) },
  { .name = "reason",
    .type = FIELD_STRING,
    .min_len = 1,
    .max_len = 200,
    .offset = offsetof(struct refund_body, reason) },
  { 0 },
};

/* The refund row's object, 201, with Idempotency-Replayed on a replay. */
static int answer_refund(struct request *rq, const char *id, bool replayed, bool send)
{
  struct refund_row r;

  if (db_refund_read(rq->db, id, &r) != DB_ONE_ROW)
    return reply_db_failed(rq, "the refund was recorded but cannot be read; GET .../refunds shows it");
  /* the row read again after the attempt: its end as recorded (times included) */
  if (send && refund_send_and_record(rq->db, &r, settings.issuer_timeout_ms, -1) == REFUND_ANSWERED)
    db_refund_read(rq->db, id, &r);
  if (replayed)
    reply_add_header(rq, "Idempotency-Replayed: true");
  return reply_json(rq, 201, refund_object(&r));
}

static int answer(struct request *rq, const struct refund_created *got)
{
  switch (got->outcome) {
  case REFUND_CREATED:
    return answer_refund(rq, got->id, false, true);
  case REFUND_REPLAYED:
    return answer_refund(rq, got->id, true, false);
  case REFUND_CONFLICT:
    return CLIENT_FAULT(rq, PROBLEM_IDEMPOTENCY_CONFLICT, "this Idempotency-Key was used with another request");
  case REFUND_UNKNOWN_TXN:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
  case REFUND_WRONG_STATE:
    return txn_reply_wrong_state(rq, got->txn_status, "a refund");
  case REFUND_EXCEEDS:
    return CLIENT_FAULT_EXTRA(rq, PROBLEM_REFUND_EXCEEDS_REFUNDABLE,
                              json_pack("{s:I}", "refundable", (json_int_t)got->refundable),
                              "the payment has %lld left to refund", (long long)got->refundable);
  case REFUND_KEY_LOST:
    break;
  }
  return reply_db_failed(rq, "the refund could not be stored; try again with the same Idempotency-Key");
}

int ep_refunds_post(struct request *rq)
{
  json_t *body = NULL;
  struct refund_body in = { 0 };
  struct refund_created got;
  char what[96], hash[65], id[REFUND_ID_LEN + 1];
  const char *key;
  bool completed;
  int64_t completed_at, now;
  int status;

  if (parse_json_body(rq, refund_spec, &in, &body) != 0)
    return rq->status;
  if (idempotency_key_read(rq, true, &key) != 0) {
    status = rq->status;
    goto out;
  }
  snprintf(what, sizeof what, "POST /v1/transactions/%s/refunds", rq->path_param);
  idempotency_request_hash(what, body, hash);
  enum db_status st =
      db_refund_void_facts(rq->db, rq->path_param, rq->terminal.merchant_id, &completed, &completed_at, &now);
  if (st == DB_NO_ROWS) {
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s for this merchant", rq->path_param);
    goto out;
  }
  if (st < 0 || public_id_new(REFUND_ID_PREFIX, id) != 0) {
    status = reply_db_failed(rq, "the refund could not be stored; try again with the same Idempotency-Key");
    goto out;
  }
  struct refund_new n = {
    .terminal_id = rq->terminal.terminal_id,
    .merchant_id = rq->terminal.merchant_id,
    .number = rq->path_param,
    .idem_key = key,
    .request_hash = hash,
    .refund_id = id,
    .amount = in.amount,
    .reason = in.reason,
    .void_window =
        completed
        && refund_void_window_open((time_t)completed_at, (time_t)now, settings.cutoff_min, settings.cutoff_tz),
    .lease_ms = settings.issuer_timeout_ms + FIRST_LEASE_MARGIN_MS,
    .wake = SWEEPER_CHANNEL,
  };
  if (db_refund_create(rq->db, &n, &got) != DB_ONE_ROW)
    status = reply_db_failed(rq, "the refund could not be stored; try again with the same Idempotency-Key");
  else
    status = answer(rq, &got);
out:
  json_decref(body);
  return status;
}
