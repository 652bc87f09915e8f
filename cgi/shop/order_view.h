/* order_view.h — an order as the pages and the status JSON show it:
 * state texts, amounts formatted, the receipt of a paid order. */
#ifndef SHOP_ORDER_VIEW_H
#define SHOP_ORDER_VIEW_H

#include "shop/db/shop_db.h"
#include "shop/request.h"

#include <jansson.h>
#include <stdbool.h>

/* A person's words for a state ("Waiting for your user ID"). */
const char *order_state_text(const char *state);

/* True for paid, declined, failed, canceled, expired. */
bool order_state_final(const char *state);

/* The order with its lines read (db_order_get, db_order_lines); the
 * session must own it unless any_session.  0; 1 when there is no such
 * order for this session (404 page answered when answer_404); -1 when the
 * database failed (answered). */
struct order_full {
  struct order_row row;
  struct order_line lines[ORDER_LINES_MAX];
  int n_lines;
  struct refund_row refunds[ORDER_REFUNDS_MAX]; /* a paid order's, oldest first */
  int n_refunds;
};
/* The state's words as the pages show them: a paid order's refunds
 * change them ("Paid — refunded", "Paid — partly refunded"). */
const char *order_shown_text(const struct order_full *o);

int order_load(struct shop_request *rq, const char *code, bool any_session, bool answer_404, struct order_full *o);

/* The order page's context (data-page="order"). */
json_t *order_page_ctx(const struct order_full *o);

/* GET .../status: {"code", "status", "status_text", "transaction",
 * "binding_code", "error", "receipt": {...} | null, "refund_state":
 * "refunded" | "partly_refunded" | null}. */
json_t *order_status_json(const struct order_full *o);

#endif
