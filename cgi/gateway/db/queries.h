/* queries.h — the gateway's database statements, one file each under db/. */
#ifndef PAYGW_QUERIES_H
#define PAYGW_QUERIES_H

#include "gateway/db/db.h"

/* SELECT 1: DB_ONE_ROW when the database answers. */
enum db_status db_health_ping(struct db *db);

struct terminal_row {
  long long terminal_id, merchant_id;
  char credential_hash_hex[65];
  char merchant_code[33];
};

/* The active terminal `code` of an active merchant: DB_ONE_ROW or DB_NO_ROWS. */
enum db_status db_terminal_by_code(struct db *db, const char *code, struct terminal_row *row);

#endif
