/* ep_list_get.c — GET /history/transactions: the signed-in user's
 * transactions, 20 a page newest first, paged by keyset cursor (?after=,
 * ?before=: query.c), filtered by date range and status, with the totals
 * per currency of the whole selection (docs/history.md).  A bad query
 * value is a 400 page naming it; nothing reaches SQL unchecked. */
#include "history/db/history_db.h"
#include "history/endpoints.h"
#include "history/query.h"
#include "history/reply.h"
#include "history/txn_view.h"
#include "common/money_text.h"

#include <stdio.h>
#include <string.h>

static int unavailable(struct history_request *rq)
{
  return reply_error_page(rq, 503, "The history is not available", "the database did not answer; try again");
}

/* The status choices of the filter, the current one selected. */
static json_t *status_options(const char *current)
{
  json_t *a = json_array();
  json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", "", "text", "Any status", "selected", !*current));
  for (int i = 0; history_statuses[i]; i++)
    json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", history_statuses[i], "text",
                                       history_status_text(history_statuses[i]), "selected",
                                       strcmp(current, history_statuses[i]) == 0));
  return a;
}

static json_t *totals_json(const struct history_total *t, int n)
{
  json_t *a = json_array();
  char paid[48];
  for (int i = 0; i < n; i++) {
    money_text_display(t[i].paid, t[i].currency, paid, sizeof paid);
    json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I, s:I, s:b}", "currency", t[i].currency, "paid", paid,
                                       "paid_minor", (json_int_t)t[i].paid, "paid_count", (json_int_t)t[i].paid_count,
                                       "count", (json_int_t)t[i].count, "one", t[i].count == 1));
  }
  return a;
}

/* One page: rows[0..*n) in the list's order, and whether there are newer
 * (*has_prev) and older (*has_next) pages. */
static enum db_status read_page(struct history_request *rq, struct history_query *q, struct history_row *rows, int *n,
                                bool *has_prev, bool *has_next)
{
  enum db_status s = db_history_list(rq->db, rq->session.user_id, q, HISTORY_PAGE_SIZE + 1, rows, n);
  if (s < 0)
    return s;
  bool more = *n > HISTORY_PAGE_SIZE;
  if (more)
    *n = HISTORY_PAGE_SIZE;
  if (q->direction == HISTORY_NEWER) {
    if (*n < HISTORY_PAGE_SIZE) {
      /* the top of the list is nearer than a page: show the first page */
      q->direction = HISTORY_FIRST;
      return read_page(rq, q, rows, n, has_prev, has_next);
    }
    for (int i = 0; i < *n / 2; i++) { /* read upwards: turn them round */
      struct history_row tmp = rows[i];
      rows[i] = rows[*n - 1 - i];
      rows[*n - 1 - i] = tmp;
    }
    *has_prev = more;
    *has_next = true;
  } else {
    *has_prev = q->direction == HISTORY_OLDER;
    *has_next = more;
  }
  return s;
}

int ep_list_get(struct history_request *rq)
{
  struct history_query q;
  struct history_row rows[HISTORY_PAGE_SIZE + 1];
  struct history_total totals[HISTORY_CURRENCIES_MAX];
  char err[200], link[256];
  int n = 0, n_totals = 0;
  bool has_prev = false, has_next = false;

  if (history_query_parse(rq->query, &q, err, sizeof err) != 0) {
    int status = reply_error_page(rq, 400, "This list cannot be shown", err);
    rq->web.problem = "bad_query"; /* for the log: after reply_error_page, which sets the title */
    return status;
  }
  if (read_page(rq, &q, rows, &n, &has_prev, &has_next) < 0
      || db_history_totals(rq->db, rq->session.user_id, &q, totals, HISTORY_CURRENCIES_MAX, &n_totals) < 0)
    return unavailable(rq);

  json_t *list = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(list, history_row_json(&rows[i]));
  json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:b, s:o, s:b}", "title", "Your transactions", "from",
                          q.from, "to", q.to, "status", q.status, "statuses", status_options(q.status), "rows", list,
                          "empty", n == 0, "filtered", *q.from || *q.to || *q.status, "totals",
                          totals_json(totals, n_totals), "has_totals", n_totals > 0);
  if (n > 0 && has_prev) {
    history_query_link(&q, HISTORY_NEWER, &rows[0].pos, link, sizeof link);
    json_object_set_new(ctx, "prev", json_string(link));
  }
  if (n > 0 && has_next) {
    history_query_link(&q, HISTORY_OLDER, &rows[n - 1].pos, link, sizeof link);
    json_object_set_new(ctx, "next", json_string(link));
  }
  history_query_link(&q, HISTORY_FIRST, NULL, link, sizeof link);
  json_object_set_new(ctx, "csv_query", json_string(link));
  return reply_page(rq, 200, "list", ctx);
}
