/* order_user.c — the guarded moves of an order's user ID: claimed while
 * the gateway is asked (db_order_claim_user), then awaiting_payment with
 * the transaction (db_order_paying), or released with the reason shown
 * (db_order_user_refused).  A raced twin request fails the guard. */
#include "shop/db/shop_db.h"

static enum db_status rows(enum db_status s)
{
  return s < 0 ? s : s >= DB_ONE_ROW ? DB_ONE_ROW : DB_NO_ROWS;
}

enum db_status db_order_claim_user(struct db *db, const char *code, const char *user_id)
{
  static struct db_statement st = DB_STATEMENT(
      "order_claim_user", DB_REPEATABLE, 2,
      "UPDATE shop.orders SET user_id = $2, error = NULL, updated_at = now()"
      " WHERE code = $1 AND state = 'awaiting_user' AND (user_id IS NULL OR user_id = $2) AND expires_at > now()");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, code);
  db_param_text(&p, user_id);
  return rows(db_call(db, &st, &p, NULL));
}

enum db_status db_order_paying(struct db *db, const char *code, const char *user_id, const char *transaction,
                               const char *binding_code)
{
  static struct db_statement st = DB_STATEMENT(
      "order_paying", DB_REPEATABLE, 4,
      "UPDATE shop.orders SET state = 'awaiting_payment', transaction_number = $3, binding_code = $4, error = NULL,"
      " updated_at = now() WHERE code = $1 AND state = 'awaiting_user' AND user_id = $2");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, code);
  db_param_text(&p, user_id);
  db_param_text(&p, transaction);
  db_param_text(&p, binding_code);
  return rows(db_call(db, &st, &p, NULL));
}

enum db_status db_order_user_refused(struct db *db, const char *code, const char *user_id, const char *error)
{
  static struct db_statement st = DB_STATEMENT("order_user_refused", DB_REPEATABLE, 3,
                                               "UPDATE shop.orders SET user_id = NULL, error = $3, updated_at = now()"
                                               " WHERE code = $1 AND state = 'awaiting_user' AND user_id = $2");
  struct db_params p;

  db_params_init(&p);
  db_param_text(&p, code);
  db_param_text(&p, user_id);
  db_param_text(&p, error);
  return rows(db_call(db, &st, &p, NULL));
}
