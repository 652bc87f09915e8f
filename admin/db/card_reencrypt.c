/* card_reencrypt.c — adb_card_reencrypt: a card's number sealed again
 * under the current key and AAD format, guarded by the old ones (a row
 * another run moved meanwhile is left alone: DB_NO_ROWS). */
#include "ops.h"

enum db_status adb_card_reencrypt(struct db *db, const struct card_reseal *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_card_reencrypt", DB_REPEATABLE, 6,
                   "UPDATE gateway.cards SET pan_ciphertext = $2, key_id = $3, pan_aad = $4 "
                   "WHERE id = $1::bigint AND key_id = $5 AND pan_aad = $6");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, in->id);
  db_param_bytea(&p, in->ciphertext, in->ciphertext_len);
  db_param_int64(&p, in->key_id);
  db_param_int64(&p, in->aad_version);
  db_param_int64(&p, in->old_key_id);
  db_param_int64(&p, in->old_aad_version);
  return db_call(db, &st, &p, NULL);
}
