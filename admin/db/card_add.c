/* card_add.c — adb_card_add: a card of a subscriber, its number only as
 * AES-256-GCM ciphertext bound to the row (key ID, AAD format), its HMAC
 * lookup hash and its mask.  The id was drawn by adb_card_next_id. */
#include "ops.h"

enum db_status adb_card_add(struct db *db, const struct card_new *in)
{
  static struct db_statement st = DB_STATEMENT(
      "adb_card_add", DB_CHANGE, 10,
      "INSERT INTO gateway.cards (id, subscriber_id, pan_ciphertext, key_id, pan_aad, pan_lookup, pan_masked, "
      "pan_length, expiry, label) OVERRIDING SYSTEM VALUE "
      "VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, in->id);
  db_param_int64(&p, in->subscriber_id);
  db_param_bytea(&p, in->ciphertext, in->ciphertext_len);
  db_param_int64(&p, in->key_id);
  db_param_int64(&p, in->aad_version);
  db_param_text(&p, in->lookup_hex);
  db_param_text(&p, in->masked);
  db_param_int64(&p, in->pan_length);
  db_param_text(&p, in->expiry);
  db_param_text(&p, in->label);
  return db_call(db, &st, &p, NULL);
}
