/* terminal_by_code.c — an active terminal of an active merchant, by code. */
#include "gateway/db/queries.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct db_statement terminal_by_code =
    DB_STATEMENT("terminal_by_code", DB_READ, 1,
                 "SELECT t.id AS terminal_id, encode(t.credential_hash, 'hex') AS credential_hash_hex,"
                 "       m.id AS merchant_id, m.code AS merchant_code, m.name AS merchant_name, m.shop_name"
                 "  FROM gateway.terminals t JOIN gateway.merchants m ON m.id = t.merchant_id"
                 " WHERE t.code = $1 AND t.status = 'active' AND m.status = 'active'");

enum db_status db_terminal_by_code(struct db *db, const char *code, struct terminal_row *row)
{
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, code);
  PGresult *res;
  enum db_status st = db_call(db, &terminal_by_code, &params, &res);

  memset(row, 0, sizeof *row);
  if (st != DB_ONE_ROW) {
    if (st >= 0)
      PQclear(res);
    return st < 0 ? st : DB_NO_ROWS;
  }
  row->terminal_id = strtoll(db_text(res, 0, "terminal_id"), NULL, 10);
  row->merchant_id = strtoll(db_text(res, 0, "merchant_id"), NULL, 10);
  snprintf(row->credential_hash_hex, sizeof row->credential_hash_hex, "%s", db_text(res, 0, "credential_hash_hex"));
  snprintf(row->merchant_code, sizeof row->merchant_code, "%s", db_text(res, 0, "merchant_code"));
  snprintf(row->merchant_name, sizeof row->merchant_name, "%s", db_text(res, 0, "merchant_name"));
  snprintf(row->shop_name, sizeof row->shop_name, "%s", db_text(res, 0, "shop_name"));
  PQclear(res);
  return DB_ONE_ROW;
}
