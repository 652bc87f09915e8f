/* cmd_device.c — `paygw-admin device add|list|disable`: handsets (fig 7
 * device ID).  `add` makes the device's Ed25519 key pair: the public key goes
 * to the database, the private key to a 0600 PEM file for the UIM store. */
#include "admin.h"
#include "validate.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const struct opt_spec cmd_device_add_opts[] = {
  { "subscriber", "CODE", true, "subscriber code the handset belongs to" },
  { "code", "DEVICE-ID", true, "device ID, 1-32 of A-Z a-z 0-9 _ -, e.g. 1234567" },
  { "key-out", "FILE", true, "where to write the private key (PKCS#8 PEM, mode 0600; must not exist)" },
  { 0 }
};
const struct opt_spec cmd_device_list_opts[] = { { 0 } };
const struct opt_spec cmd_device_disable_opts[] = {
  { "code", "DEVICE-ID", true, "device ID" },
  { 0 }
};

int device_store(struct adb *db, const char *subscriber_code, const char *code,
                 const unsigned char pub[ED25519_KEY_LEN])
{
  static const char sql[] =
      "INSERT INTO gateway.devices (subscriber_id, code, public_key) VALUES ($1, $2, $3) "
      "ON CONFLICT (code) DO NOTHING RETURNING id";
  char id_text[24], key_param[2 + 2 * ED25519_KEY_LEN + 1];
  long long subscriber_id;
  int status = admin_find(db, "subscriber", subscriber_code, true, &subscriber_id);

  if (status != ADMIN_OK)
    return status;
  snprintf(id_text, sizeof id_text, "%lld", subscriber_id);
  admin_bytea_param(pub, ED25519_KEY_LEN, key_param);
  const char *params[3] = { id_text, code, key_param };
  long n = adb_exec_count(db, "device_insert", sql, 3, params);
  if (n < 0)
    return admin_db_failure(db);
  if (n == 0)
    return admin_invalid("device %s already exists", shown(code));
  return adb_log_action(db, "device add", code) == 0 ? ADMIN_OK : admin_db_failure(db);
}

int device_public_key(struct adb *db, const char *subscriber_code, const char *code,
                      unsigned char pub[ED25519_KEY_LEN])
{
  static const char sql[] =
      "SELECT encode(d.public_key, 'hex') AS public_key FROM gateway.devices d "
      "JOIN gateway.subscribers s ON s.id = d.subscriber_id WHERE d.code = $1 AND s.code = $2";
  const char *params[2] = { code, subscriber_code };
  PGresult *res = adb_exec(db, "device_public_key", sql, 2, params);
  int found = 0;

  if (!res)
    return -1;
  if (PQntuples(res) == 1 && strlen(adb_get(res, 0, "public_key")) == 2 * ED25519_KEY_LEN) {
    const char *hex = adb_get(res, 0, "public_key");
    for (int i = 0; i < ED25519_KEY_LEN; i++)
      sscanf(hex + 2 * i, "%2hhx", &pub[i]);
    found = 1;
  }
  PQclear(res);
  return found;
}

int device_rekey(struct adb *db, const char *subscriber_code, const char *code,
                 const unsigned char pub[ED25519_KEY_LEN])
{
  static const char sql[] =
      "UPDATE gateway.devices d SET public_key = $3 FROM gateway.subscribers s "
      "WHERE s.id = d.subscriber_id AND d.code = $1 AND s.code = $2 RETURNING d.id";
  char key_param[2 + 2 * ED25519_KEY_LEN + 1];

  admin_bytea_param(pub, ED25519_KEY_LEN, key_param);
  const char *params[3] = { code, subscriber_code, key_param };
  long n = adb_exec_count(db, "device_rekey", sql, 3, params);
  if (n < 0)
    return admin_db_failure(db);
  if (n == 0)
    return admin_invalid("no device %s of subscriber %s", shown(code), shown(subscriber_code));
  return adb_log_action(db, "device rekey", code) == 0 ? ADMIN_OK : admin_db_failure(db);
}

struct device_add {
  const char *subscriber, *code, *key_out;
  unsigned char pub[ED25519_KEY_LEN], priv[ED25519_KEY_LEN];
  bool key_written;
};

/* The key file is written inside the transaction, so a refused insert leaves
 * no file and a failed write leaves no row. */
static int device_add_txn(struct adb *db, void *ctx)
{
  struct device_add *a = ctx;
  int status = device_store(db, a->subscriber, a->code, a->pub);

  if (status != ADMIN_OK)
    return status;
  if (ed25519_write_private_pem(a->key_out, a->priv, false) != 0)
    return admin_failure("cannot write the device key to %s: %s", shown(a->key_out), strerror(errno));
  a->key_written = true;
  return ADMIN_OK;
}

int cmd_device_add(const char **opt)
{
  struct device_add a = { .subscriber = opt[0], .code = opt[1], .key_out = opt[2] };

  if (!valid_ident(a.subscriber))
    return admin_invalid("subscriber code must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.subscriber));
  if (!valid_ident(a.code))
    return admin_invalid("device ID must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.code));
  if (access(a.key_out, F_OK) == 0)
    return admin_invalid("key file %s already exists; refusing to overwrite it", shown(a.key_out));
  if (ed25519_keypair(a.pub, a.priv) != 0)
    return admin_failure("cannot generate the device key pair");
  int status = admin_transaction(device_add_txn, &a);
  OPENSSL_cleanse(a.priv, sizeof a.priv);
  if (status != ADMIN_OK && a.key_written)
    unlink(a.key_out);   /* the commit failed: no device, so no key */
  if (status == ADMIN_OK)
    printf("device %s added for subscriber %s; private key in %s\n", a.code, a.subscriber, a.key_out);
  return status;
}

int cmd_device_list(const char **opt)
{
  (void)opt;
  return admin_list("device_list",
                    "SELECT d.code AS device, s.code AS subscriber, d.status, "
                    "encode(sha256(d.public_key), 'hex') AS public_key_sha256, "
                    "(SELECT count(*) FROM gateway.users u WHERE u.device_id = d.id) AS users "
                    "FROM gateway.devices d JOIN gateway.subscribers s ON s.id = d.subscriber_id "
                    "ORDER BY s.code, d.code");
}

int cmd_device_disable(const char **opt)
{
  return admin_update_one("device", "disabled", "device_disable",
                          "UPDATE gateway.devices SET status = 'disabled' WHERE code = $1 RETURNING 1", opt[0]);
}
