/* cmd_user.c — `paygw-admin user add|list|disable|unlock|set-web-password`:
 * user IDs (fig 7), one per card ([0052]) and bound to one handset
 * ([0068]).  Passwords (the handset's, and the web password of the HTML
 * history) are read from standard input and stored only as argon2id
 * hashes. */
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
  { 0 },
};
const struct opt_spec cmd_user_list_opts[] = { { 0 } };
const struct opt_spec cmd_user_disable_opts[] = {
  { "user-id", "ID", true, "user ID" },
  { 0 },
};
const struct opt_spec cmd_user_unlock_opts[] = {
  { "user-id", "ID", true, "user ID" },
  { 0 },
};
const struct opt_spec cmd_user_set_web_password_opts[] = {
  { "user-id", "ID", true, "user ID" },
  { 0 },
};

/* Checks that card card_id is the subscriber's, active and not yet bound. */
static int check_card(struct db *db, long long subscriber_id, long long card_id)
{
  struct card_for_user card;
  enum db_status s = adb_card_for_user(db, card_id, &card);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("unknown card %lld", card_id);
  if (card.subscriber_id != subscriber_id)
    return admin_invalid("card %lld does not belong to that subscriber", card_id);
  if (strcmp(card.status, "active") != 0)
    return admin_invalid("card %lld is disabled", card_id);
  if (card.user_id[0])
    return admin_invalid("card %lld already has user ID %s (one user ID per card)", card_id, shown(card.user_id));
  return ADMIN_OK;
}

/* Checks that the device is the subscriber's and active. */
static int check_device(struct db *db, long long subscriber_id, const char *device_code, long long *device_id)
{
  int64_t owner = 0;
  int status = admin_find(db, ADB_DEVICE, device_code, true, device_id);

  if (status != ADMIN_OK)
    return status;
  enum db_status s = adb_device_subscriber(db, *device_id, &owner);
  if (s < 0)
    return admin_db_failure(db);
  if (s != DB_ONE_ROW || owner != subscriber_id)
    return admin_invalid("device %s does not belong to that subscriber", shown(device_code));
  return ADMIN_OK;
}

int user_store(struct db *db, const char *user_id, const char *subscriber_code, long long card_id,
               const char *device_code, const char *password)
{
  char hash[PWHASH_ENCODED_MAX];
  long long subscriber_id, device_id;
  int status = admin_find(db, ADB_SUBSCRIBER, subscriber_code, true, &subscriber_id);

  if (status == ADMIN_OK)
    status = check_card(db, subscriber_id, card_id);
  if (status == ADMIN_OK)
    status = check_device(db, subscriber_id, device_code, &device_id);
  if (status != ADMIN_OK)
    return status;
  if (pwhash_make(password, hash) != 0)
    return admin_failure("cannot hash the password (argon2id)");
  const struct user_new in = { .user_id = user_id,
                               .password_hash = hash,
                               .subscriber_id = subscriber_id,
                               .card_id = card_id,
                               .device_id = device_id };
  enum db_status s = adb_user_add(db, &in);
  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("user ID %s already exists", shown(user_id));
  return admin_log_action(db, "user add", user_id);
}

struct user_add {
  const char *user_id, *subscriber, *device;
  long long card_id;
  char password[PASSWORD_MAX_BYTES + 2];
};

static int user_add_txn(struct db *db, void *ctx)
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
  return admin_list(adb_user_list);
}

int cmd_user_disable(const char **opt)
{
  return admin_disable("user ID", ADB_USER, opt[0]);
}

static int user_unlock_txn(struct db *db, void *ctx)
{
  const char *user_id = ctx;
  enum db_status s = adb_user_unlock(db, user_id);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("unknown user ID '%s'", shown(user_id));
  return admin_log_action(db, "user ID unlocked", user_id);
}

int cmd_user_unlock(const char **opt)
{
  int status = admin_transaction(user_unlock_txn, (void *)opt[0]);

  if (status == ADMIN_OK)
    printf("user ID %s unlocked\n", opt[0]);
  return status;
}

/* Sets user_id's web password (hashed here) and writes the admin-log row;
 * only_if_unset leaves a user ID that has one alone (ADMIN_OK, *set false).
 * `demo` uses it too. */
int user_web_password_store(struct db *db, const char *user_id, const char *password, bool only_if_unset, bool *set)
{
  char hash[PWHASH_ENCODED_MAX];

  *set = false;
  if (pwhash_make(password, hash) != 0)
    return admin_failure("cannot hash the password (argon2id)");
  enum db_status s = adb_user_web_password_set(db, user_id, hash, only_if_unset);
  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return only_if_unset ? ADMIN_OK : admin_invalid("unknown user ID '%s'", shown(user_id));
  *set = true;
  return admin_log_action(db, "user set-web-password", user_id);
}

struct web_password {
  const char *user_id;
  char password[PASSWORD_MAX_BYTES + 2];
};

static int user_set_web_password_txn(struct db *db, void *ctx)
{
  struct web_password *w = ctx;
  bool set;

  return user_web_password_store(db, w->user_id, w->password, false, &set);
}

int cmd_user_set_web_password(const char **opt)
{
  struct web_password w = { .user_id = opt[0] };
  const char *problem;
  int status;

  if (!valid_ident(w.user_id))
    return admin_invalid("user ID must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(w.user_id));
  if (read_secret_line("web password: ", w.password, sizeof w.password) != 0)
    status = admin_invalid("no password on standard input, or longer than 256 bytes (give it as one line)");
  else if ((problem = web_password_problem(w.password)))
    status = admin_invalid("%s", problem);
  else
    status = admin_transaction(user_set_web_password_txn, &w);
  OPENSSL_cleanse(w.password, sizeof w.password);
  if (status == ADMIN_OK)
    printf("user ID %s has a new web password (its history sessions have ended)\n", w.user_id);
  return status;
}
