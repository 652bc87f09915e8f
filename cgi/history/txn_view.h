/* txn_view.h — what the history's pages and CSV show of a transaction:
 * words for a status and a method, amounts from integer minor units
 * (lib/common/money_text), the JSON the templates render (list.html,
 * transaction.html) and one CSV record.  Pure: no database, no request. */
#ifndef HISTORY_TXN_VIEW_H
#define HISTORY_TXN_VIEW_H

#include "history/db/history_db.h"
#include "web/csv.h"

#include <jansson.h>
#include <stddef.h>

/* "Completed", "Waiting for the handset", ... (the status itself when
 * unknown). */
const char *history_status_text(const char *status);

/* "Lump sum", "Installments ×3", "Bonus", "Partial bonus", "Revolving",
 * "—" before a method was chosen. */
void history_method_text(const char *method, int installments, char *out, size_t cap);

/* The method's name without the count, for the CSV ("Installments"), ""
 * before one was chosen. */
const char *history_method_name(const char *method);

/* One row of the list's table (new reference). */
json_t *history_row_json(const struct history_row *r);

/* The detail page's values (new reference), or NULL when the stored items
 * or events are not the JSON they should be (a bug, logged by the
 * caller). */
json_t *history_detail_json(const struct history_detail *d);

/* The CSV's header record, and one transaction's record, appended to
 * line.  0, or -1 when memory ran out. */
int history_csv_header(struct csv_line *line);
int history_csv_row(struct csv_line *line, const struct history_row *r);

#endif
