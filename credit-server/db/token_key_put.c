/* token_key_put.c — issuer_token_key_put: a 0600 in one statement,
 * issuer.do_token_key_put (sql/0022): the account found by the opened
 * number's lookup hash, the merchant checked, the sealed key stored, or the
 * key ID met again (the stored sealed key handed back, so the caller can
 * tell a repeat from other content).  DB_REPEATABLE: sent again it meets its
 * own row and answers "same". */
#include "credit-server/db/ops.h"

#include <string.h>

#include "common/log.h"

static const char *const outcomes[] = {
  [TOKEN_KEY_STORED] = "stored",           [TOKEN_KEY_SAME] = "same",
  [TOKEN_KEY_CONFLICT] = "conflict",       [TOKEN_KEY_NO_CARD] = "no_card",
  [TOKEN_KEY_NO_MERCHANT] = "no_merchant",
};

/* Reads a bytea sent as text ("\x..." hex) into out. */
static bool read_bytea(const char *text, unsigned char *out, size_t cap, size_t *len)
{
  size_t n = 0;
  unsigned char *bytes = PQunescapeBytea((const unsigned char *)text, &n);
  bool ok = bytes && n <= cap;

  if (ok) {
    memcpy(out, bytes, n);
    *len = n;
  }
  PQfreemem(bytes);
  return ok;
}

enum db_status issuer_token_key_put(struct db *db, const struct token_key_new *in, struct token_key_put_answer *out)
{
  static struct db_statement st =
      DB_STATEMENT("issuer_token_key_put", DB_REPEATABLE, 9,
                   "SELECT outcome, '\\x' || stored_key_sealed AS stored_key_sealed, stored_data_key_id"
                   "  FROM issuer.do_token_key_put($1, $2, $3, $4, $5, $6, $7, $8, $9)");
  struct db_params p;
  PGresult *res = NULL;
  int outcome = 0;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->key_id);
  db_param_bytea(&p, in->key_sealed, in->key_sealed_len);
  db_param_int64(&p, in->data_key_id);
  db_param_text(&p, in->number);
  db_param_text(&p, in->merchant_code);
  db_param_int64(&p, in->amount);
  db_param_text(&p, in->currency);
  db_param_text(&p, in->expiry);
  db_param_text(&p, in->card_hash);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "issuer.do_token_key_put", outcomes, &outcome);
  if (s == DB_ONE_ROW) {
    out->outcome = (enum token_key_put_outcome)outcome;
    if (out->outcome == TOKEN_KEY_SAME) {
      out->stored_data_key_id = (int)db_int64(res, 0, "stored_data_key_id");
      if (!read_bytea(db_text(res, 0, "stored_key_sealed"), out->stored_sealed, sizeof out->stored_sealed,
                      &out->stored_sealed_len)) {
        LOG_BUG("a stored token key that does not fit its buffer");
        s = DB_HARD_ERROR;
      }
    }
  }
  if (res)
    PQclear(res);
  return s;
}
