/* ep_csv_get.c — GET /history/transactions.csv: the signed-in user's
 * transactions of the list's selection (same query, paging ignored) as
 * CSV (RFC 4180, UTF-8, the formula guard of lib/web/csv.c), newest first,
 * at most PAYGW_HISTORY_CSV_MAX_ROWS rows (10 000) and then a last line
 * saying the rest was left out.  Read from the database in keyset chunks
 * of CSV_CHUNK rows, so no result is ever larger than that. */
#include "history/db/history_db.h"
#include "history/endpoints.h"
#include "history/query.h"
#include "history/reply.h"
#include "history/settings.h"
#include "history/txn_view.h"
#include "web/csv.h"

#include <stdio.h>
#include <stdlib.h>

#define CSV_CHUNK 500

/* Appends every row of the selection (at most max) to out; *more when
 * there were more. */
static enum db_status write_rows(struct history_request *rq, struct history_query *q, long max, struct csv_line *out,
                                 bool *more)
{
  struct history_row *rows = calloc(CSV_CHUNK + 1, sizeof *rows);
  long written = 0;
  enum db_status s = DB_NO_ROWS;
  int n = 0;

  *more = false;
  if (!rows)
    return DB_HARD_ERROR;
  for (;;) {
    s = db_history_list(rq->db, rq->session.user_id, q, CSV_CHUNK + 1, rows, &n);
    if (s < 0)
      break;
    for (int i = 0; i < n && i < CSV_CHUNK; i++) {
      if (written == max) {
        *more = true;
        goto out;
      }
      if (history_csv_row(out, &rows[i]) != 0) {
        s = DB_HARD_ERROR;
        goto out;
      }
      written++;
    }
    if (n <= CSV_CHUNK)
      break;
    q->direction = HISTORY_OLDER; /* the next chunk: after the chunk's last row */
    q->cursor = rows[CSV_CHUNK - 1].pos;
  }
out:
  free(rows);
  return s;
}

int ep_csv_get(struct history_request *rq)
{
  struct history_query q;
  struct csv_line csv = { 0 };
  char err[200], header[200], note[120];
  bool more = false;

  if (history_query_parse(rq->query, &q, err, sizeof err) != 0) {
    int refused = reply_error_page(rq, 400, "This list cannot be exported", err);
    rq->web.problem = "bad_query"; /* for the log: after reply_error_page, which sets the title */
    return refused;
  }
  q.direction = HISTORY_FIRST; /* the whole selection, whatever page it was asked from */
  if (history_csv_header(&csv) != 0 || write_rows(rq, &q, history_settings.csv_max_rows, &csv, &more) < 0) {
    csv_line_free(&csv);
    return reply_error_page(rq, 503, "The history is not available", "the database did not answer; try again");
  }
  if (more) {
    snprintf(note, sizeof note, "only the newest %ld transactions are listed: choose a shorter range for the rest",
             history_settings.csv_max_rows);
    csv_add(&csv, note);
    csv_end(&csv);
  }
  if (csv.oom) {
    csv_line_free(&csv);
    return reply_error_page(rq, 503, "The history is not available",
                            "the export ran out of memory; try a shorter range");
  }
  snprintf(header, sizeof header, "Content-Disposition: attachment; filename=\"paygw-history-%s-%s.csv\"",
           *q.from ? q.from : "start", *q.to ? q.to : "end");
  reply_add_header(rq, header);
  int status = reply_body(rq, 200, "text/csv; charset=utf-8", csv.text, csv.len);
  csv_line_free(&csv);
  return status;
}
