/* shop_db.h — the shop's database operations, one typed function per file
 * in cgi/shop/db/ (docs/architecture.md, "The data layer"): each holds its
 * statement, builds its parameters and reads its result into a struct, so
 * no handler names a column.  Every one runs as the role paygw_shop on the
 * schema shop (sql/0018_shop.sql). */
#ifndef SHOP_DB_H
#define SHOP_DB_H

#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>

#define GOODS_MAX 64
#define ORDER_LINES_MAX 50
#define ORDERS_LIST_MAX 100

struct good {
  int64_t id;
  char name[81 * 4];
  int64_t unit_price;
  char currency[4];
  int tax_rate_pct;
  char icon[33];
};

/* --- sessions (session_*.c) --- */
struct session_row {
  int64_t id;
  char csrf[33];
  bool is_admin;
};
/* The live session whose token hashes to token_hash (seen within idle_s),
 * its last_seen_at moved to now: DB_ONE_ROW, DB_NO_ROWS (unknown or idle),
 * or an error. */
enum db_status db_session_touch(struct db *db, const char *token_hash, long idle_s, struct session_row *out);
/* A new session: DB_ONE_ROW with out->id; sessions unseen for keep_s
 * seconds are deleted in the same statement. */
enum db_status db_session_create(struct db *db, const char *token_hash, const char *csrf, long keep_s,
                                 struct session_row *out);
/* The owner signed in or out: is_admin set, and the session's token and
 * form token replaced (no session fixation). */
enum db_status db_session_admin(struct db *db, int64_t id, bool is_admin, const char *token_hash, const char *csrf);

/* --- goods and carts --- */
/* The active goods, by id: *n of them. */
enum db_status db_goods_list(struct db *db, struct good *out, int max, int *n);

struct cart_line {
  struct good good;
  int64_t quantity;
};
/* A session's cart, oldest line first: *n lines. */
enum db_status db_cart_lines(struct db *db, int64_t session_id, struct cart_line *out, int max, int *n);
/* Sets (add false) or adds to (add true) the quantity of a good in the
 * cart, 0 removing it, at most 99: DB_ONE_ROW, DB_NO_ROWS for a good that
 * does not exist or is not sold. */
enum db_status db_cart_set(struct db *db, int64_t session_id, int64_t good_id, int64_t quantity, bool add);

/* --- orders --- */
struct checkout_out {
  bool empty;   /* the cart was empty: no order */
  char code[9]; /* the new order's code */
};
/* The checkout in one transaction: the cart read under lock, its lines
 * priced (money.c), the order stored with a fresh code (drawn again when
 * taken) and the cart emptied. */
enum db_status db_checkout(struct db *db, int64_t session_id, const char *currency, long ttl_s,
                           struct checkout_out *out);

struct order_row {
  int64_t id;
  char code[9];
  int64_t session_id; /* 0: none */
  char state[24];
  char user_id[33];
  char transaction[33];
  char binding_code[9];
  int64_t subtotal, tax_total, total;
  char currency[4];
  char error[300];
  char method[4];
  int64_t installments;
  char approval_code[16];
  char card_masked[24];
  char response_code[8];
  char reason[200];
  char created_at[40], completed_at[40];
};
/* An order by code (after expiring it when overdue and still awaiting a
 * user): DB_ONE_ROW or DB_NO_ROWS. */
enum db_status db_order_get(struct db *db, const char *code, struct order_row *out);

struct order_line {
  int64_t good_id;
  char name[81 * 4];
  int64_t unit_price, quantity, tax;
  int tax_rate_pct;
};
enum db_status db_order_lines(struct db *db, int64_t order_id, struct order_line *out, int max, int *n);

/* The order claimed for user_id while the gateway is asked (state
 * awaiting_user, no other user claimed, not overdue): DB_ONE_ROW, or
 * DB_NO_ROWS when the guard failed. */
enum db_status db_order_claim_user(struct db *db, const char *code, const char *user_id);
/* awaiting_user → awaiting_payment with the gateway's transaction. */
enum db_status db_order_paying(struct db *db, const char *code, const char *user_id, const char *transaction,
                               const char *binding_code);
/* The claim released with the reason shown on the order page. */
enum db_status db_order_user_refused(struct db *db, const char *code, const char *user_id, const char *error);
/* from_state → canceled, reason kept: DB_ONE_ROW or DB_NO_ROWS. */
enum db_status db_order_cancel(struct db *db, const char *code, const char *from_state, const char *reason);
/* The error shown on the order page (a cancel the gateway refused). */
enum db_status db_order_set_error(struct db *db, const char *code, const char *error);

/* A verified webhook: its id recorded and the order moved (shop.do_webhook). */
enum webhook_outcome { WEBHOOK_MOVED, WEBHOOK_REPEATED, WEBHOOK_UNKNOWN_ORDER, WEBHOOK_UNCHANGED };
struct webhook_event {
  const char *id, *code, *transaction, *state;
  const char *method, *approval_code, *card_masked, *response_code, *reason, *completed_at; /* NULL: none */
  int64_t installments;                                                                     /* -1: none */
};
enum db_status db_webhook_record(struct db *db, const struct webhook_event *ev, enum webhook_outcome *outcome,
                                 char *state, size_t state_len);

/* The newest orders for the owner's list, with what their refunds add
 * up to (shop.refunds, sql/0026). */
struct order_summary {
  char code[9];
  char state[24];
  int64_t total;
  char currency[4];
  char created_at[40];
  char items[1024];
  int64_t refunded; /* Σ completed refunds */
  int64_t held;     /* Σ pending, completed and failed refunds: what the gateway no longer offers */
};
enum db_status db_orders_list(struct db *db, struct order_summary *out, int max, int *n);

/* --- refunds (sql/0026_shop_refunds.sql) --- */
#define ORDER_REFUNDS_MAX 50
struct refund_row {
  char refund_id[32];
  char kind[8];
  int64_t amount;
  char currency[4];
  char reason[201 * 4];
  char status[16];
  char outcome_reason[200];
  char created_at[24]; /* YYYY-MM-DD HH:MM:SS, UTC */
};
/* An order's refunds, oldest first: *n of them. */
enum db_status db_order_refunds(struct db *db, int64_t order_id, struct refund_row *out, int max, int *n);

/* A refund the gateway told of: its 201 (webhook_id NULL) or a refund.*
 * webhook, recorded for the paid order code/transaction (shop.do_refund). */
enum refund_outcome { REFUND_RECORDED, REFUND_MOVED, REFUND_UNCHANGED, REFUND_REPEATED, REFUND_UNKNOWN_ORDER };
struct refund_event {
  const char *webhook_id, *code, *transaction, *refund_id, *idempotency_key;     /* webhook_id, key: NULL for none */
  const char *kind, *currency, *reason, *status, *outcome_reason, *completed_at; /* reason...: NULL for none */
  int64_t amount;
};
enum db_status db_refund_record(struct db *db, const struct refund_event *ev, enum refund_outcome *outcome,
                                char *status, size_t status_len);

/* --- settings --- */
/* The owner password's argon2id hash into out ("" when none is set). */
enum db_status db_owner_hash(struct db *db, char *out, size_t outlen);
enum db_status db_owner_hash_set(struct db *db, const char *hash);

#endif
