/* set_disabled.c — adb_set_disabled: an issuer, merchant, terminal,
 * subscriber, handset, card or user ID disabled by its key.  Nothing is
 * deleted: payments and logs keep pointing at the row, and the gateway
 * refuses a disabled party from then on. */
#include "ops.h"

#include "common/log.h"

static struct db_statement issuer =
    DB_STATEMENT("adb_issuer_disable", DB_REPEATABLE, 1,
                 "UPDATE gateway.issuers SET status = 'disabled' WHERE code = $1 RETURNING 1");
static struct db_statement merchant =
    DB_STATEMENT("adb_merchant_disable", DB_REPEATABLE, 1,
                 "UPDATE gateway.merchants SET status = 'disabled' WHERE code = $1 RETURNING 1");
static struct db_statement terminal =
    DB_STATEMENT("adb_terminal_disable", DB_REPEATABLE, 1,
                 "UPDATE gateway.terminals SET status = 'disabled' WHERE code = $1 RETURNING 1");
static struct db_statement subscriber =
    DB_STATEMENT("adb_subscriber_disable", DB_REPEATABLE, 1,
                 "UPDATE gateway.subscribers SET status = 'disabled' WHERE code = $1 RETURNING 1");
static struct db_statement device =
    DB_STATEMENT("adb_device_disable", DB_REPEATABLE, 1,
                 "UPDATE gateway.devices SET status = 'disabled' WHERE code = $1 RETURNING 1");
static struct db_statement card =
    DB_STATEMENT("adb_card_disable", DB_REPEATABLE, 1,
                 "UPDATE gateway.cards SET status = 'disabled' WHERE id = $1::bigint RETURNING 1");
static struct db_statement user =
    DB_STATEMENT("adb_user_disable", DB_REPEATABLE, 1,
                 "UPDATE gateway.users SET status = 'disabled' WHERE user_id = $1 RETURNING 1");

enum db_status adb_set_disabled(struct db *db, enum adb_entity kind, const char *key)
{
  struct db_statement *const by_kind[] = {
    [ADB_ISSUER] = &issuer, [ADB_MERCHANT] = &merchant, [ADB_TERMINAL] = &terminal, [ADB_SUBSCRIBER] = &subscriber,
    [ADB_DEVICE] = &device, [ADB_CARD] = &card,         [ADB_USER] = &user,
  };
  struct db_params p;

  if ((unsigned)kind >= sizeof by_kind / sizeof by_kind[0]) {
    LOG_BUG("adb_set_disabled: no statement for entity %d", (int)kind);
    return DB_HARD_ERROR;
  }
  db_params_init(&p);
  db_param_text(&p, key);
  return db_call(db, by_kind[kind], &p, NULL);
}
