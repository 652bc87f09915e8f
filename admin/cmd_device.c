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
  { 0 },
};
const struct opt_spec cmd_device_list_opts[] = { { 0 } };
const struct opt_spec cmd_device_disable_opts[] = {
  { "code", "DEVICE-ID", true, "device ID" },
  { 0 },
};

int device_store(struct db *db, const char *subscriber_code, const char *code, const unsigned char pub[ED25519_KEY_LEN])
{
  struct device_new in = { .code = code };
  long long subscriber_id;
  int status = admin_find(db, ADB_SUBSCRIBER, subscriber_code, true, &subscriber_id);

  if (status != ADMIN_OK)
    return status;
  in.subscriber_id = subscriber_id;
  memcpy(in.public_key, pub, ED25519_KEY_LEN);
  enum db_status s = adb_device_add(db, &in);
  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("device %s already exists", shown(code));
  return admin_log_action(db, "device add", code);
}

int device_public_key(struct db *db, const char *subscriber_code, const char *code, unsigned char pub[ED25519_KEY_LEN])
{
  const struct device_ref ref = { .subscriber_code = subscriber_code, .code = code };
  struct device_key key;
  enum db_status s = adb_device_public_key(db, &ref, &key);

  if (s == DB_ONE_ROW)
    memcpy(pub, key.public_key, ED25519_KEY_LEN);
  return s < 0 ? -1 : s == DB_ONE_ROW;
}

int device_rekey(struct db *db, const char *subscriber_code, const char *code, const unsigned char pub[ED25519_KEY_LEN])
{
  const struct device_ref ref = { .subscriber_code = subscriber_code, .code = code };
  struct device_key key;

  memcpy(key.public_key, pub, ED25519_KEY_LEN);
  enum db_status s = adb_device_rekey(db, &ref, &key);
  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("no device %s of subscriber %s", shown(code), shown(subscriber_code));
  return admin_log_action(db, "device rekey", code);
}

struct device_add {
  const char *subscriber, *code, *key_out;
  unsigned char pub[ED25519_KEY_LEN], priv[ED25519_KEY_LEN];
  bool key_written;
};

/* The key file is written inside the transaction, so a refused insert leaves
 * no file and a failed write leaves no row. */
static int device_add_txn(struct db *db, void *ctx)
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
    unlink(a.key_out); /* the commit failed: no device, so no key */
  if (status == ADMIN_OK)
    printf("device %s added for subscriber %s; private key in %s\n", a.code, a.subscriber, a.key_out);
  return status;
}

int cmd_device_list(const char **opt)
{
  (void)opt;
  return admin_list(adb_device_list);
}

int cmd_device_disable(const char **opt)
{
  return admin_disable("device", ADB_DEVICE, opt[0]);
}
