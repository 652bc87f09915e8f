/* user_key.c — db_user_key: the handset of a user ID that can pay and its
 * key, and its card for the worker to decrypt, read when the worker's
 * cache (cache_user_key) does not hold them. */
#include "gateway/db/handset.h"

#include <string.h>

enum db_status db_user_key(struct db *db, const char *user_id, struct user_key *out, struct txn_card *card)
{
  static struct db_statement st = DB_STATEMENT(
      "user_key", DB_READ, 1,
      "SELECT d.id AS device_id, d.code AS device_code, encode(d.public_key, 'hex') AS public_key,"
      "       c.id AS card_id, encode(c.pan_ciphertext, 'hex') AS ciphertext, c.key_id, c.pan_aad, c.pan_lookup,"
      "       c.expiry, gateway.card_digest(c.id) AS digest"
      "  FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id"
      "  JOIN gateway.devices d ON d.id = u.device_id JOIN gateway.subscribers s ON s.id = u.subscriber_id"
      " WHERE u.user_id = $1 AND u.status = 'active' AND c.status = 'active' AND d.status = 'active'"
      "   AND s.status = 'active'");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  memset(card, 0, sizeof *card);
  db_params_init(&p);
  db_param_text(&p, user_id);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->device_id = db_int64(res, 0, "device_id");
    db_copy(res, 0, "device_code", out->device_code);
    db_copy(res, 0, "public_key", out->public_key);
    card->card_id = db_int64(res, 0, "card_id");
    db_copy(res, 0, "ciphertext", card->ciphertext);
    card->key_id = (int)db_int64(res, 0, "key_id");
    card->aad = (int)db_int64(res, 0, "pan_aad");
    db_copy(res, 0, "pan_lookup", card->lookup);
    db_copy(res, 0, "expiry", card->expiry);
    db_copy(res, 0, "digest", card->digest);
  } else if (s >= 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
