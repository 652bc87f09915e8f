/* merchant_webhook_update.c — adb_merchant_webhook_update: a merchant's
 * webhook URL and/or a new sealed secret (the old one stops working with
 * the commit: the sender reads the secret at each attempt). */
#include "ops.h"

enum db_status adb_merchant_webhook_update(struct db *db, const struct merchant_webhook_update *in)
{
  static struct db_statement st =
      DB_STATEMENT("adb_merchant_webhook_update", DB_CHANGE, 4,
                   "UPDATE gateway.merchants SET webhook_url = coalesce($2, webhook_url),"
                   "       webhook_secret = coalesce($3, webhook_secret),"
                   "       webhook_secret_key_id = CASE WHEN $3 IS NULL THEN webhook_secret_key_id ELSE $4 END,"
                   "       webhook_secret_at = CASE WHEN $3 IS NULL THEN webhook_secret_at ELSE now() END"
                   " WHERE id = $1 RETURNING id");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, in->merchant_id);
  db_param_text(&p, in->url);
  if (in->sealed && in->sealed_len > 0)
    db_param_bytea(&p, in->sealed, in->sealed_len);
  else
    db_param_text(&p, NULL);
  db_param_int64(&p, in->key_id);
  return db_call(db, &st, &p, NULL);
}
