/* checkout.c — db_checkout: POST /shop/checkout in one transaction: the
 * cart read under lock, each line priced with its tax (money.c), the order
 * and its lines stored by shop.do_checkout (sql/0018) with a fresh code,
 * the cart emptied. */
#include "shop/db/shop_db.h"
#include "web/money.h"
#include "shop/order_code.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct checkout_ctx {
  int64_t session_id;
  const char *currency;
  long ttl_s;
  struct checkout_out *out;
};

static enum db_status lock_cart(struct db *db, int64_t session_id)
{
  static struct db_statement st =
      DB_STATEMENT("checkout_lock", DB_READ, 1, "SELECT 1 FROM shop.cart_lines WHERE session_id = $1 FOR UPDATE");
  struct db_params p;

  db_params_init(&p);
  db_param_int64(&p, session_id);
  return db_call(db, &st, &p, NULL);
}

static enum db_status create(struct db *db, struct checkout_ctx *c, const char *lines, const struct money_totals *t,
                             bool *taken)
{
  static struct db_statement st =
      DB_STATEMENT("checkout_create", DB_CHANGE, 7, "SELECT outcome FROM shop.do_checkout($1, $2, $3, $4, $5, $6, $7)");
  static const char *const outcomes[] = { "created", "code_taken" };
  struct db_params p;
  PGresult *res = NULL;
  int outcome;

  db_params_init(&p);
  db_param_int64(&p, c->session_id);
  db_param_text(&p, c->out->code);
  db_param_text(&p, lines);
  db_param_int64(&p, t->subtotal);
  db_param_int64(&p, t->tax_total);
  db_param_text(&p, c->currency);
  db_param_int64(&p, c->ttl_s);
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "shop.do_checkout", outcomes, &outcome);
  if (res)
    PQclear(res);
  *taken = s == DB_ONE_ROW && outcome == 1;
  return s;
}

static enum db_status checkout_txn(struct db *db, void *arg)
{
  struct checkout_ctx *c = arg;
  struct cart_line *cart = calloc(ORDER_LINES_MAX, sizeof *cart);
  struct money_totals t = { 0 };
  json_t *lines = json_array();
  int n = 0;
  enum db_status s;

  c->out->empty = false;
  if (!cart || !lines) {
    s = DB_HARD_ERROR;
    goto out;
  }
  if ((s = lock_cart(db, c->session_id)) < 0 || (s = db_cart_lines(db, c->session_id, cart, ORDER_LINES_MAX, &n)) < 0)
    goto out;
  if (n == 0) {
    c->out->empty = true;
    s = DB_NO_ROWS;
    goto out;
  }
  for (int i = 0; i < n; i++) {
    const struct good *g = &cart[i].good;
    int64_t tax = money_line_tax(g->unit_price, cart[i].quantity, g->tax_rate_pct);
    if (tax < 0 || money_add_line(&t, g->unit_price, cart[i].quantity, tax) != 0 || strcmp(g->currency, c->currency)) {
      s = DB_HARD_ERROR; /* the goods' bounds (sql/0018) keep far from it */
      goto out;
    }
    json_array_append_new(lines,
                          json_pack("{s:I, s:s, s:I, s:I, s:i, s:I}", "good", (json_int_t)g->id, "name", g->name,
                                    "unit_price", (json_int_t)g->unit_price, "quantity", (json_int_t)cart[i].quantity,
                                    "tax_rate_pct", g->tax_rate_pct, "tax", (json_int_t)tax));
  }
  char *text = json_dumps(lines, JSON_COMPACT);
  bool taken = true;
  for (int tries = 0; tries < 5 && taken; tries++) {
    if (order_code_new(c->out->code) != 0) {
      s = DB_HARD_ERROR;
      break;
    }
    s = create(db, c, text, &t, &taken);
    if (s < 0)
      break;
  }
  free(text);
  if (s >= 0 && taken)
    s = DB_HARD_ERROR; /* five codes taken in a row: 31^8 codes make it a bug */
out:
  json_decref(lines);
  free(cart);
  return s;
}

enum db_status db_checkout(struct db *db, int64_t session_id, const char *currency, long ttl_s,
                           struct checkout_out *out)
{
  struct checkout_ctx c = { .session_id = session_id, .currency = currency, .ttl_s = ttl_s, .out = out };

  memset(out, 0, sizeof *out);
  return db_run_transaction(db, "checkout", checkout_txn, &c);
}
