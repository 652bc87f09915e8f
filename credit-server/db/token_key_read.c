/* token_key_read.c — issuer_token_key_read: a token key as a token 0100
 * needs it (sql/0022's issuer.token_keys): the sealed key and what the
 * encrypted number is bound to.  Only a read: whether it was used is
 * decided under the row's lock in issuer.do_authorize. */
#include "credit-server/db/ops.h"

#include <string.h>

#include "common/log.h"

enum db_status issuer_token_key_read(struct db *db, const char *key_id, struct token_key_row *out)
{
  static struct db_statement st =
      DB_STATEMENT("issuer_token_key_read", DB_READ, 1,
                   "SELECT key_sealed, key_data_key_id, ecn, merchant_code, amount, currency"
                   "  FROM issuer.token_keys WHERE key_id = $1");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, key_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    size_t n = 0;
    unsigned char *bytes = PQunescapeBytea((const unsigned char *)db_text(res, 0, "key_sealed"), &n);
    if (bytes && n <= sizeof out->key_sealed) {
      memcpy(out->key_sealed, bytes, n);
      out->key_sealed_len = n;
    } else {
      LOG_BUG("a stored token key that does not fit its buffer");
      s = DB_HARD_ERROR;
    }
    PQfreemem(bytes);
    out->data_key_id = (int)db_int64(res, 0, "key_data_key_id");
    out->amount = db_int64(res, 0, "amount");
    db_copy(res, 0, "ecn", out->number);
    db_copy(res, 0, "merchant_code", out->merchant_code);
    db_copy(res, 0, "currency", out->currency);
  } else if (s > DB_ONE_ROW) {
    LOG_BUG("issuer.token_keys holds key ID twice");
    s = DB_HARD_ERROR;
  }
  if (res)
    PQclear(res);
  return s;
}
