/* cmd_user.c — `paygw-admin user add|list|disable|unlock`: user IDs (fig 7),
 * one per card ([0052]) and bound to one handset ([0068]).  The password is
 * read from standard input and stored only as an argon2id hash. */
#include "admin.h"
#include "validate.h"

#include "common/pwhash.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct opt_spec cmd_user_add_opts[] = {
  { "user-id", "ID", true, "user ID, 1-32 of A-Z a-z 0-9 _ -, e.g. 00001" },
  { "subscriber", "CODE", true, "subscriber code" },
  { "card", "CARD-ID", true, "card id (from card add); one user ID per card" },
  { "device", "DEVICE-ID", true, "device ID of the subscriber's handset" },
  { 0 }
};
const struct opt_spec cmd_user_list_opts[] = { { 0 } };
const struct opt_spec cmd_user_disable_opts[] = {
  { "user-id", "ID", true, "user ID" },
  { 0 }
};
const struct opt_spec cmd_user_unlock_opts[] = {
  { "user-id", "ID", true, "user ID" },
  { 0 }
};

/* Checks that card card_id is the subscriber's, active and not yet bound. */
static int check_card(struct adb *db, long long subscriber_id, long long card_id)
{
  static const char sql[] =
      "SELECT c.subscriber_id, c.status, u.user_id FROM gateway.cards c "
      "LEFT JOIN gateway.users u ON u.card_id = c.id WHERE c.id = $1::bigint FOR UPDATE OF c";
  char id_text[24];
  int status = ADMIN_OK;

  snprintf(id_text, sizeof id_text, "%lld", card_id);
  const char *params[1] = { id_text };
  PGresult *res = adb_exec(db, "user_card_check", sql, 1, params);
  if (!res)
    return admin_db_failure(db);
  if (PQntuples(res) == 0)
    status = admin_invalid("unknown card %lld", card_id);
  else if (atoll(adb_get(res, 0, "subscriber_id")) != subscriber_id)
    status = admin_invalid("card %lld does not belong to that subscriber", card_id);
  else if (strcmp(adb_get(res, 0, "status"), "active") != 0)
    status = admin_invalid("card %lld is disabled", card_id);
  else if (*adb_get(res, 0, "user_id"))
    status = admin_invalid("card %lld already has user ID %s (one user ID per card)", card_id,
                           shown(adb_get(res, 0, "user_id")));
  PQclear(res);
  return status;
}

/* Checks that the device is the subscriber's and active. */
static int check_device(struct adb *db, long long subscriber_id, const char *device_code, long long *device_id)
{
  char text[24];
  int status = admin_find(db, "device", device_code, true, device_id);

  if (status != ADMIN_OK)
    return status;
  snprintf(text, sizeof text, "%lld", *device_id);
  const char *params[1] = { text };
  PGresult *res = adb_exec(db, "device_subscriber", "SELECT subscriber_id FROM gateway.devices WHERE id = $1::bigint",
                           1, params);
  if (!res)
    return admin_db_failure(db);
  if (PQntuples(res) != 1 || atoll(PQgetvalue(res, 0, 0)) != subscriber_id)
    status = admin_invalid("device %s does not belong to that subscriber", shown(device_code));
  PQclear(res);
  return status;
}

int user_store(struct adb *db, const char *user_id, const char *subscriber_code, long long card_id,
               const char *device_code, const char *password)
{
  static const char sql[] =
      "INSERT INTO gateway.users (user_id, subscriber_id, card_id, device_id, password_hash) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING RETURNING 1";
  char hash[PWHASH_ENCODED_MAX], sub_text[24], card_text[24], dev_text[24];
  long long subscriber_id, device_id;
  int status = admin_find(db, "subscriber", subscriber_code, true, &subscriber_id);

  if (status == ADMIN_OK)
    status = check_card(db, subscriber_id, card_id);
  if (status == ADMIN_OK)
    status = check_device(db, subscriber_id, device_code, &device_id);
  if (status != ADMIN_OK)
    return status;
  if (pwhash_make(password, hash) != 0)
    return admin_failure("cannot hash the password (argon2id)");
  snprintf(sub_text, sizeof sub_text, "%lld", subscriber_id);
  snprintf(card_text, sizeof card_text, "%lld", card_id);
  snprintf(dev_text, sizeof dev_text, "%lld", device_id);
  const char *params[5] = { user_id, sub_text, card_text, dev_text, hash };
  long n = adb_exec_count(db, "user_insert", sql, 5, params);
  if (n < 0)
    return admin_db_failure(db);
  if (n == 0)
    return admin_invalid("user ID %s already exists", shown(user_id));
  return adb_log_action(db, "user add", user_id) == 0 ? ADMIN_OK : admin_db_failure(db);
}

struct user_add {
  const char *user_id, *subscriber, *device;
  long long card_id;
  char password[PASSWORD_MAX_BYTES + 2];
};

static int user_add_txn(struct adb *db, void *ctx)
{
  struct user_add *a = ctx;

  return user_store(db, a->user_id, a->subscriber, a->card_id, a->device, a->password);
}

int cmd_user_add(const char **opt)
{
  struct user_add a = { .user_id = opt[0], .subscriber = opt[1], .device = opt[3] };
  const char *problem;
  int status;

  if (!valid_ident(a.user_id))
    return admin_invalid("user ID must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.user_id));
  if (!valid_ident(a.subscriber))
    return admin_invalid("subscriber code must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.subscriber));
  if (!parse_row_id(opt[2], &a.card_id))
    return admin_invalid("card id must be a positive number, got '%.20s'", shown(opt[2]));
  if (!valid_ident(a.device))
    return admin_invalid("device ID must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.device));
  if (read_secret_line("password: ", a.password, sizeof a.password) != 0)
    status = admin_invalid("no password on standard input, or longer than 256 bytes (give it as one line)");
  else if ((problem = password_problem(a.password)))
    status = admin_invalid("%s", problem);
  else
    status = admin_transaction(user_add_txn, &a);
  OPENSSL_cleanse(a.password, sizeof a.password);
  if (status == ADMIN_OK)
    printf("user %s added (card %lld, device %s)\n", a.user_id, a.card_id, a.device);
  return status;
}

int cmd_user_list(const char **opt)
{
  (void)opt;
  return admin_list("user_list",
                    "SELECT u.user_id, s.code AS subscriber, u.card_id AS card, "
                    "c.pan_masked AS masked, d.code AS device, "
                    "u.status, u.failed_attempts AS failed, "
                    "coalesce(to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-') "
                    "AS locked_until "
                    "FROM gateway.users u JOIN gateway.subscribers s ON s.id = u.subscriber_id "
                    "JOIN gateway.cards c ON c.id = u.card_id JOIN gateway.devices d ON d.id = u.device_id "
                    "ORDER BY u.user_id");
}

int cmd_user_disable(const char **opt)
{
  return admin_update_one("user ID", "disabled", "user_disable",
                          "UPDATE gateway.users SET status = 'disabled' WHERE user_id = $1 RETURNING 1", opt[0]);
}

int cmd_user_unlock(const char **opt)
{
  return admin_update_one("user ID", "unlocked", "user_unlock",
                          "UPDATE gateway.users SET failed_attempts = 0, locked_until = NULL "
                          "WHERE user_id = $1 RETURNING 1",
                          opt[0]);
}
