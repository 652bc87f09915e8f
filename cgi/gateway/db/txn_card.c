/* txn_card.c — db_txn_card: a transaction's card, read for the worker to
 * decrypt before the call that needs the number's issuer or the number
 * itself (the confirmation; the method choice when the card changed since). */
#include "gateway/db/card.h"

#include <string.h>

enum db_status db_txn_card(struct db *db, const char *number, struct txn_card *out)
{
  static struct db_statement st = DB_STATEMENT(
      "txn_card", DB_READ, 1,
      "SELECT t.number, t.user_id, t.status, coalesce(encode(t.session_hash, 'hex'), '') AS session_hash,"
      "       (t.status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method') AND t.deadline < now())"
      "         AS overdue,"
      "       t.card_id, encode(c.pan_ciphertext, 'hex') AS ciphertext, c.key_id, c.pan_aad, c.pan_lookup, c.expiry,"
      "       gateway.card_digest(c.id) AS digest"
      "  FROM gateway.transactions t JOIN gateway.cards c ON c.id = t.card_id WHERE t.number = $1");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, number);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    db_copy(res, 0, "number", out->number);
    db_copy(res, 0, "user_id", out->user_id);
    db_copy(res, 0, "status", out->status);
    db_copy(res, 0, "session_hash", out->session_hash);
    out->overdue = db_bool(res, 0, "overdue");
    out->card_id = db_int64(res, 0, "card_id");
    db_copy(res, 0, "ciphertext", out->ciphertext);
    out->key_id = (int)db_int64(res, 0, "key_id");
    out->aad = (int)db_int64(res, 0, "pan_aad");
    db_copy(res, 0, "pan_lookup", out->lookup);
    db_copy(res, 0, "expiry", out->expiry);
    db_copy(res, 0, "digest", out->digest);
  } else if (s >= 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
