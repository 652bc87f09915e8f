/* token.h — the typed operations of the token requests (second
 * embodiment, sql/0021_tokens.sql), one file each in cgi/gateway/db/:
 * token_create.c (POST /v1/tokens), token_view.c and token_status.c (GET
 * and its wait), token_cancel.c, token_reply_read.c and token_reply.c
 * (the handset's reply), token_delivered.c (the 0600's end) and
 * token_sweep.c (the sweeper's expiry).  No caller names a column. */
#ifndef PAYGW_DB_TOKEN_H
#define PAYGW_DB_TOKEN_H

#include "db/db.h"
#include "gateway/db/card.h"

#include <stdbool.h>
#include <stdint.h>

/* POST /v1/tokens: what the handler made. */
struct token_new {
  int64_t terminal_id, merchant_id;
  const char *rate_interval_s, *rate_tolerance_s;
  const char *idem_key, *request_hash;
  const char *user_id;
  const char *device_code; /* the handset the confirmation names; NULL: not known yet */
  const char *id, *reply_deadline, *currency, *currency_numeric;
  int64_t total, tax_total;
  const char *items, *reference, *binding_code;
  const char *message, *signature; /* the signed token_confirmation (NULL without a device) */
};

enum token_create_outcome {
  TOKEN_CREATED,      /* body: the answer (awaiting_reply or rejected) */
  TOKEN_SIGN_AGAIN,   /* the confirmation must name device_code */
  TOKEN_RATE_LIMITED, /* wait_s */
  TOKEN_REPLAYED,     /* replay_status, body */
  TOKEN_CONFLICT,
  TOKEN_UNKNOWN_USER,
  TOKEN_KEY_LOST
};

struct token_created {
  enum token_create_outcome outcome;
  char device_code[33];
  char wait_s[32];
  int replay_status;
  char *body; /* malloc'd JSON text (created, replayed): the caller frees */
};

/* The C value of each word of gateway.do_create_token's, do_token_view's
 * (and do_token_cancel's) and do_token_reply's `outcome`; -1 for a word
 * the C side does not know (a BUG: the function and the file disagree). */
int token_create_outcome_of(const char *text);
int token_view_outcome_of(const char *text);
int token_reply_outcome_of(const char *text);

/* One call of gateway.do_create_token (DB_REPEATABLE: the token ID says it
 * was made).  DB_ONE_ROW with *out, or an error. */
enum db_status db_token_create(struct db *db, const struct token_new *in, struct token_created *out);

/* GET /v1/tokens/{id} and POST .../cancel, for the terminal that made it. */
enum token_view_outcome { TOKEN_FOUND, TOKEN_UNKNOWN, TOKEN_WRONG_STATE, TOKEN_CANCELED };
struct token_view {
  enum token_view_outcome outcome;
  char status[32];
  char *body; /* malloc'd JSON text, or NULL: the caller frees */
};

/* gateway.do_token_view (DB_REPEATABLE: a read but for an expiry). */
enum db_status db_token_view(struct db *db, const char *id, int64_t terminal_id, struct token_view *out);

/* gateway.do_token_cancel (DB_REPEATABLE: canceled again answers canceled). */
enum db_status db_token_cancel(struct db *db, const char *id, int64_t terminal_id, struct token_view *out);

/* The status the terminal would see (an overdue request as expired), for
 * GET's wait: DB_ONE_ROW, DB_NO_ROWS or an error.  Changes nothing. */
enum db_status db_token_status(struct db *db, const char *id, int64_t terminal_id, char status[32]);

/* What the worker needs to judge a reply (a read: the judgement's call
 * checks the state again under its lock). */
struct token_reply_row {
  char status[32];
  bool overdue;
  char user_id[40];
  char device_code[33];
  char public_key[65]; /* hex */
  bool device_ok;      /* the request's handset is still the user's and active */
  char password_hash[128];
  bool locked;
  char locked_until[24];
};

/* DB_ONE_ROW, DB_NO_ROWS (no such request) or an error. */
enum db_status db_token_reply_read(struct db *db, const char *id, struct token_reply_row *out);

enum token_reply_outcome { REPLY_DELIVER, REPLY_ENDED, REPLY_LOCKED, REPLY_WRONG_STATE, REPLY_UNKNOWN };
struct token_reply_out {
  enum token_reply_outcome outcome;
  char status[32], reason[32], locked_until[24];
  char row_id[24];
  /* REPLY_DELIVER: the 0600's fields and the card to decrypt */
  char merchant_code[33], currency_numeric[4], iso_terminal_id[9];
  int64_t total;
  int stan;
  struct txn_card card;
};

/* One call of gateway.do_token_reply with the worker's verdict (DB_CHANGE:
 * a wrong password's count must not be taken twice). */
enum db_status db_token_reply(struct db *db, const char *id, const char *verdict, long lock_after, long lock_s,
                              struct token_reply_out *out);

/* The 0600's end (gateway.do_token_delivered; DB_REPEATABLE). */
struct token_delivered_in {
  const char *row_id, *status, *reason, *transmission_time, *response_code;
  const char *key_id, *ecn, *expiry, *last4; /* NULL unless issued */
};
struct token_delivered_out {
  bool recorded; /* false: the sweeper ended it first */
  char status[32], reason[32];
};
enum db_status db_token_delivered(struct db *db, const struct token_delivered_in *in, struct token_delivered_out *out);

/* The sweeper's expiry and its settling of requests a dead worker left
 * delivering (older than stuck_s).  *expired and *failed say how many. */
enum db_status db_token_sweep(struct db *db, long stuck_s, long *expired, long *failed);

#endif
