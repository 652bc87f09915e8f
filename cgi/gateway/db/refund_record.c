/* refund_record.c — db_refund_record (db/refund.h): the credit server's
 * answer to a refund recorded in one database transaction of two calls of
 * gateway.do_refund_answer, the payment's row locked by the first, so the
 * handset's message signed between them names what the payment has given
 * back for certain. */
#include "gateway/db/refund.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

struct record_ctx {
  const struct refund_record_in *in;
  struct refund_answer_out *out;
};

static enum db_status record_txn(struct db *db, void *vctx)
{
  struct record_ctx *c = vctx;
  struct refund_answer_in a = { .refund_id = c->in->refund_id,
                                .response_code = c->in->response_code,
                                .reason = c->in->reason };
  char sig[90], *message = NULL;

  enum db_status st = db_refund_answer(db, &a, c->out);
  if (st != DB_ONE_ROW || c->out->outcome != REFUND_ANSWER_SIGN_AGAIN)
    return st;
  a.refunded = c->out->refunded;
  if (c->in->seal(c->in->seal_ctx, a.refunded, &message, sig) != 0)
    return DB_HARD_ERROR;
  a.message = message;
  a.signature = sig;
  st = db_refund_answer(db, &a, c->out);
  free(message);
  if (st == DB_ONE_ROW && c->out->outcome == REFUND_ANSWER_SIGN_AGAIN) {
    LOG_BUG("refund %s: sign_again under the payment's lock", c->in->refund_id);
    return DB_HARD_ERROR;
  }
  return st;
}

enum db_status db_refund_record(struct db *db, const struct refund_record_in *in, struct refund_answer_out *out)
{
  struct record_ctx c = { .in = in, .out = out };

  memset(out, 0, sizeof *out);
  return db_run_transaction(db, "refund_record", record_txn, &c);
}
