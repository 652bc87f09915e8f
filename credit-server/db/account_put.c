/* account_put.c — issuer_account_put: a card account (figure 24B) created
 * under the ID issuer_account_id gave, or re-enrolled: the balance kept (a
 * lowered limit never goes under it) and the number sealed again for its
 * row.  An account another enrolment made meanwhile under another ID is
 * left alone (no row returned). */
#include "credit-server/db/ops.h"

enum db_status issuer_account_put(struct db *db, const struct account_row *a)
{
  static struct db_statement st = DB_STATEMENT(
      "issuer_account_put", DB_CHANGE, 12,
      "INSERT INTO issuer.card_accounts (id, issuer_code, holder, address, card_ciphertext, card_key_id, card_aad,"
      "   card_lookup_hash, card_masked, expiry, credit_limit, currency) OVERRIDING SYSTEM VALUE"
      " VALUES ($1::bigint, $2, $3, $4, $5::bytea, $6::integer, $7::smallint, $8, $9, $10, $11::bigint, $12)"
      " ON CONFLICT (card_lookup_hash) DO UPDATE SET issuer_code = EXCLUDED.issuer_code, holder = EXCLUDED.holder,"
      "   address = EXCLUDED.address, expiry = EXCLUDED.expiry, currency = EXCLUDED.currency,"
      "   credit_limit = greatest(EXCLUDED.credit_limit, issuer.card_accounts.balance),"
      "   card_ciphertext = EXCLUDED.card_ciphertext, card_key_id = EXCLUDED.card_key_id,"
      "   card_aad = EXCLUDED.card_aad, card_masked = EXCLUDED.card_masked"
      " WHERE issuer.card_accounts.id = EXCLUDED.id"
      " RETURNING id");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, a->id);
  db_param_text(&p, a->issuer_code);
  db_param_text(&p, a->holder);
  db_param_text(&p, a->address);
  db_param_bytea(&p, a->ciphertext, a->ciphertext_len);
  db_param_int64(&p, a->key_id);
  db_param_int64(&p, a->aad_format);
  db_param_text(&p, a->card_hash);
  db_param_text(&p, a->card_masked);
  db_param_text(&p, a->expiry);
  db_param_int64(&p, a->credit_limit);
  db_param_text(&p, a->currency);
  return db_call(db, &st, &p, NULL);
}
