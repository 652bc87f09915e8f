/* uim_users.c — adb_uim_users: what a handset's UIM store holds from the
 * database: the device's enrolled public key and its active user IDs with
 * active cards (label, argon2id hash, mask; never a card number). */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void adb_uim_users_free(struct uim_users *u)
{
  if (u->users)
    memset(u->users, 0, (size_t)u->n * sizeof *u->users);
  free(u->users);
  memset(u, 0, sizeof *u);
}

static void read_key(const char *hex, struct uim_users *out)
{
  out->key_ok = strlen(hex) == 2 * ED25519_KEY_LEN;
  for (int i = 0; out->key_ok && i < ED25519_KEY_LEN; i++)
    sscanf(hex + 2 * i, "%2hhx", &out->public_key[i]);
}

enum db_status adb_uim_users(struct db *db, const char *device_code, struct uim_users *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_uim_users", DB_READ, 1,
                   "SELECT u.user_id, c.label, u.password_hash, c.pan_masked AS card_masked, "
                   "encode(d.public_key, 'hex') AS public_key "
                   "FROM gateway.devices d LEFT JOIN gateway.users u ON u.device_id = d.id AND u.status = 'active' "
                   "LEFT JOIN gateway.cards c ON c.id = u.card_id AND c.status = 'active' "
                   "WHERE d.code = $1 ORDER BY u.user_id");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, device_code);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s > 0 && !(out->users = calloc((size_t)PQntuples(res), sizeof *out->users)))
    s = DB_HARD_ERROR;
  if (s > 0)
    read_key(db_text(res, 0, "public_key"), out);
  /* a row without a user ID is the device alone; one without a label is a
   * user ID whose card is disabled: neither goes into the store */
  for (int i = 0; s > 0 && i < PQntuples(res); i++) {
    if (db_null(res, i, "user_id") || db_null(res, i, "label"))
      continue;
    struct uim_user *u = &out->users[out->n++];
    db_copy(res, i, "user_id", u->user_id);
    db_copy(res, i, "label", u->label);
    db_copy(res, i, "password_hash", u->password_hash);
    db_copy(res, i, "card_masked", u->card_masked);
  }
  if (res)
    PQclear(res);
  return s;
}
