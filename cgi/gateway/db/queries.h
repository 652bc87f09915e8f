/* queries.h — the gateway's reads outside any request's one call: the
 * health ping (health_ping.c), a terminal's credentials (terminal_by_code.c,
 * for the worker's cache) and the pending counts of GET /metrics
 * (metrics_gauges.c).  The other operations are declared by area in
 * db/txn.h, handset.h, device.h, card.h, terminal.h, authorization.h,
 * sweeper.h and enrolment.h, each defined in a file of its own with its
 * statement. */
#ifndef PAYGW_QUERIES_H
#define PAYGW_QUERIES_H

#include "db/db.h"

/* SELECT 1: DB_ONE_ROW when the database answers. */
enum db_status db_health_ping(struct db *db);

struct terminal_row {
  long long terminal_id, merchant_id;
  char credential_hash_hex[65];
  char merchant_code[33];
  char merchant_name[324], shop_name[324]; /* up to 80 characters of UTF-8 */
};

/* The active terminal `code` of an active merchant: DB_ONE_ROW or DB_NO_ROWS. */
enum db_status db_terminal_by_code(struct db *db, const char *code, struct terminal_row *row);

/* The pending counts GET /metrics shows (struct metrics_gauges,
 * gateway/metrics.h), in one statement: DB_ONE_ROW or an error. */
struct metrics_gauges;
enum db_status db_metrics_gauges(struct db *db, struct metrics_gauges *out);

#endif
