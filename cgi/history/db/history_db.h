/* history_db.h — the HTML history's reads of the signed-in user's payments
 * (the list, its totals, one transaction, the CSV), one operation per file
 * of cgi/history/db/ like every program's data layer (docs/architecture.md).
 * Each runs as the role paygw_history, which may read these tables and
 * never change them; every statement filters on the user ID, so nothing
 * another user owns is ever read.  Indexes: sql/0020_history_paging.sql. */
#ifndef HISTORY_DB_H
#define HISTORY_DB_H

#include "db/db.h"
#include "history/query.h"

#include <stdbool.h>
#include <stdint.h>

/* One transaction as the list and the CSV show it. */
struct history_row {
  struct history_cursor pos; /* created_at (µs) and id: the row's cursor */
  char number[17];
  char created[17]; /* YYYY-MM-DD HH:MM, UTC */
  char merchant[81 * 4], shop[81 * 4];
  int64_t total;
  char currency[4];
  char method[4];   /* L I B pB R, "" before one was chosen */
  int installments; /* 0 unless method I */
  char status[24];
  char card_masked[24]; /* "" before the card was read */
  char approval_code[16];
  int64_t refunded; /* Σ of its completed refunds (gateway.refunds, sql/0023) */
};

/* Up to max rows of user_id's transactions that match q's range and
 * status, in the list's order, starting after (HISTORY_OLDER) or before
 * (HISTORY_NEWER) q->cursor, or from the newest (HISTORY_FIRST) — for
 * HISTORY_NEWER the rows closest to the cursor come first (the caller
 * turns them round).  *n rows.  One index range scan (sql/0020). */
enum db_status db_history_list(struct db *db, const char *user_id, const struct history_query *q, int max,
                               struct history_row *out, int *n);

/* The totals of one currency over q's whole range and status (paging
 * ignored): how many transactions, and the sum and number of those
 * completed (what was paid). */
struct history_total {
  char currency[4];
  int64_t count, paid_count, paid;
};
#define HISTORY_CURRENCIES_MAX 16
enum db_status db_history_totals(struct db *db, const char *user_id, const struct history_query *q,
                                 struct history_total *out, int max, int *n);

/* One transaction of user_id by its number, with its items, state
 * changes and refunds as the JSON text the detail page reads (items as
 * stored at POST /v1/transactions; events as [[status, "YYYY-MM-DD
 * HH:MM:SS"], ...] oldest first; refunds as history_refund_json reads
 * them, refund_view.h).  DB_NO_ROWS for an unknown number and for another
 * user's alike.  The caller frees items and events. */
struct history_detail {
  struct history_row row;
  char completed[20]; /* YYYY-MM-DD HH:MM:SS, "" while open */
  int64_t tax_total;
  char binding_code[8];
  char response_code[8];
  char reason[200]; /* the decline's or failure's reason */
  char reference[257];
  char *items;   /* malloc'd JSON text */
  char *events;  /* malloc'd JSON text */
  char *refunds; /* malloc'd JSON text: [[kind, amount, status, reason, created, ended, code], ...] oldest first */
};
enum db_status db_history_detail(struct db *db, const char *user_id, const char *number, struct history_detail *out);
void history_detail_free(struct history_detail *d);

#endif
