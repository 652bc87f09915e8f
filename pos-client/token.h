/* token.h — the POS's side of a token sale (second embodiment, [0162]-
 * [0163], docs/pos.md "Token sales"): what the gateway's issued token
 * request gives the POS (key ID, encrypted card number, expiry, field 41),
 * the POS's own 0100 with it (fields 60-62) and its reversal, the token
 * lines of the sales journal, the receipt, and reading the journal back:
 * the sales left in doubt (a `token_pending` or `token_voiding` line with
 * no end) and a completed sale to void.  Pure code: unit-tested in
 * tests/unit/test_pos_token.c.  The POS never holds a card number: the
 * gateway gives it the encrypted one, and the card's last 4 digits for the
 * receipt. */
#ifndef PAYGW_POS_TOKEN_H
#define PAYGW_POS_TOKEN_H

#include "pos-client/sale.h"
#include "iso8583/authmsg.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One token sale as the POS sends it to the credit server and journals it:
 * every field its 0100 and a later reversal need, so a reversal can be
 * sent from the journal alone. */
struct token_sale {
  char token_id[64];   /* tk_... */
  char key_id[23];     /* field 60 */
  char ecn[64];        /* field 61: the encrypted card number */
  char expiry[15];     /* field 62: YYYYMMDDhhmmss UTC */
  char card_last4[5];  /* "" when the gateway gave none */
  char terminal_id[9]; /* field 41: the terminal's ISO terminal ID */
  char merchant[16];   /* field 42 */
  char currency_numeric[4];
  int64_t amount; /* field 4, minor units */
  char method[3]; /* field 48 */
  int installments;
  unsigned long stan;         /* field 11: the POS's own */
  char transmission_time[11]; /* field 7 of the 0100 */
};

/* True for a token request status the gateway never leaves: issued,
 * rejected, canceled, expired, failed. */
bool token_status_final(const char *status);

/* Fills t from the gateway's answer for an issued token request (GET
 * /v1/tokens/{id}) and the sale: checks that the answer is this sale (total,
 * currency) and that every part has its form.  STAN and field 7 are left
 * for the caller.  Returns 0 or -1 with err. */
int token_sale_from_answer(struct token_sale *t, const json_t *answer, const struct sale *s, const char *method,
                           int installments, char *err, size_t errlen);

/* The fields of t's 0100 and reversals (lib/iso8583/authmsg.h); f points into t. */
void token_auth_fields(const struct token_sale *t, struct iso_auth_fields *f);

/* The token 0100: the shared fields and 60 (key ID), 61 (encrypted card
 * number), 62 (expiry).  Returns ISO_OK or an iso_error. */
int token_build_request(const struct token_sale *t, struct iso_msg *m);

/* One journal line (JSON, no newline; malloc'd) of a token sale: time,
 * status, reference, user, totals, items, and what is known of the token:
 * the token request's id and binding code (from answer, may be NULL), t's
 * key ID, encrypted card number, expiry, STAN and field 7 (t may be NULL),
 * the response and approval codes (may be NULL), a reason (may be NULL). */
char *token_journal_line(const struct sale *s, const char *when, const char *status, const char *user_id,
                         const json_t *answer, const struct token_sale *t, const char *response_code,
                         const char *approval_code, const char *reason);

/* Reads t back from a journal line.  Returns 0, or -1 when the line is not
 * a token line that names its 0100 (STAN, field 7, ...). */
int token_sale_from_line(const json_t *line, struct token_sale *t);

/* A token sale whose last journal line leaves it in doubt. */
struct token_open {
  struct token_sale t;
  char status[24]; /* token_pending or token_voiding */
  json_t *line;    /* that line */
};

/* The token sales of a journal whose last line is token_pending (the 0100
 * may have charged: reverse it) or token_voiding (a void not yet
 * acknowledged).  A sale is named by field 41, its STAN and its field 7.
 * Returns their count (0 or more) with *open malloc'd (free with
 * token_open_free), or -1 with err when the journal cannot be read. */
long token_journal_open(FILE *journal, struct token_open **open, char *err, size_t errlen);
void token_open_free(struct token_open *open, long n);

/* The completed token sale of key_id in the journal, when its last line is
 * token_completed: 0 with *t and *line (the caller json_decref's it); 1 when
 * the journal has the key but its sale is not completed (declined,
 * reversed, voided: status in *status); -1 when the key is not there. */
int token_journal_find_completed(FILE *journal, const char *key_id, struct token_sale *t, json_t **line, char *status,
                                 size_t status_len);

/* The receipt of a token sale.  status is the journal's (token_completed,
 * token_declined, token_reversed, token_rejected, ...); t may be NULL
 * (before the token was issued). */
void token_receipt(FILE *out, const struct sale *s, const char *shop, const char *status, const json_t *answer,
                   const struct token_sale *t, const char *response_code, const char *approval_code,
                   const char *reason);

#endif
