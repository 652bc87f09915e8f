/* owner_hash.c — the owner password's argon2id hash in shop.settings:
 * read (db_owner_hash) and set (db_owner_hash_set, by shop.fcgi
 * --set-owner-password). */
#include "shop/db/shop_db.h"

#include <stdio.h>

enum db_status db_owner_hash(struct db *db, char *out, size_t outlen)
{
  static struct db_statement st =
      DB_STATEMENT("owner_hash", DB_READ, 0, "SELECT owner_password_hash FROM shop.settings WHERE id");
  PGresult *res = NULL;

  out[0] = '\0';
  enum db_status s = db_call(db, &st, NULL, &res);
  if (s == DB_ONE_ROW && !db_null(res, 0, "owner_password_hash"))
    db_copy_at(res, 0, "owner_password_hash", out, outlen, __FILE__, __LINE__);
  if (res)
    PQclear(res);
  return s < 0 ? s : out[0] ? DB_ONE_ROW : DB_NO_ROWS;
}

enum db_status db_owner_hash_set(struct db *db, const char *hash)
{
  static struct db_statement st =
      DB_STATEMENT("owner_hash_set", DB_REPEATABLE, 1,
                   "INSERT INTO shop.settings (id, owner_password_hash) VALUES (true, $1)"
                   " ON CONFLICT (id) DO UPDATE SET owner_password_hash = EXCLUDED.owner_password_hash");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, hash);
  return db_call(db, &st, &p, NULL);
}
