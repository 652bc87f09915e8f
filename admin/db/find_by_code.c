/* find_by_code.c — adb_find_by_code: the id and status of an issuer,
 * merchant, subscriber or device by its code (one statement per table,
 * since a table name is never a parameter). */
#include "ops.h"

#include "common/log.h"

#include <stdio.h>

static struct db_statement issuer =
    DB_STATEMENT("adb_issuer_by_code", DB_READ, 1, "SELECT id, status FROM gateway.issuers WHERE code = $1");
static struct db_statement merchant =
    DB_STATEMENT("adb_merchant_by_code", DB_READ, 1, "SELECT id, status FROM gateway.merchants WHERE code = $1");
static struct db_statement subscriber =
    DB_STATEMENT("adb_subscriber_by_code", DB_READ, 1, "SELECT id, status FROM gateway.subscribers WHERE code = $1");
static struct db_statement device =
    DB_STATEMENT("adb_device_by_code", DB_READ, 1, "SELECT id, status FROM gateway.devices WHERE code = $1");

enum db_status adb_find_by_code(struct db *db, enum adb_entity kind, const char *code, struct adb_found *out)
{
  struct db_statement *st = kind == ADB_ISSUER       ? &issuer
                            : kind == ADB_MERCHANT   ? &merchant
                            : kind == ADB_SUBSCRIBER ? &subscriber
                            : kind == ADB_DEVICE     ? &device
                                                     : NULL;
  struct db_params p;
  PGresult *res = NULL;

  if (!st) {
    LOG_BUG("adb_find_by_code: no finder for entity %d", (int)kind);
    return DB_HARD_ERROR;
  }
  db_params_init(&p);
  db_param_text(&p, code);
  enum db_status s = db_call(db, st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->id = db_int64(res, 0, "id");
    db_copy(res, 0, "status", out->status);
  }
  if (res)
    PQclear(res);
  return s;
}
