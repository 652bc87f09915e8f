/* credit.h — the credit server's model: an authorization request as read
 * from a 0100 (request.c), a reversal as read from a 0400/0401, what the
 * issuer answers them, and what makes two 0100s the same (duplicate.c).
 * The decision itself is issuer.decide in sql/0012, run inside the one
 * statement an authorization costs (credit-server/db/). */
#ifndef PAYGW_CREDIT_H
#define PAYGW_CREDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iso8583/iso8583.h"

/* "YYYY-MM-DD hh:mm:ss+00" and its NUL (credit_timestamp_text). */
#define CREDIT_TIMESTAMP_LEN 26

/* A 0100, checked and with its padding removed. */
struct credit_request {
  char pan[20];
  char expiry[5];             /* field 14, YYMM */
  int64_t amount;             /* field 4, minor units, > 0 */
  char currency[4];           /* field 49 */
  char stan[7];               /* field 11 */
  char transmission_time[11]; /* field 7, MMDDhhmmss UTC */
  long transmitted_at;        /* field 7 as a full time (credit_transmission_instant), 0 until set */
  char terminal_id[9];        /* field 41, trailing spaces removed */
  char merchant_code[16];     /* field 42, trailing spaces removed */
  char method[3];             /* from field 48: L I B pB R */
  int installments;
};

/* Who sent a message, from the link's certificate (server.c; docs/iso8583.md
 * "Who may send what").  PEER_NONE (zeroed) may send nothing. */
enum credit_peer_role { PEER_NONE = 0, PEER_ACQUIRER, PEER_MERCHANT };
#define CREDIT_PEER_KEY_LEN 32
struct credit_peer {
  enum credit_peer_role role;
  char merchant_code[16];        /* PEER_MERCHANT: its certificate's code */
  char key[CREDIT_PEER_KEY_LEN]; /* the authorization key's peer: "acquirer" or "merchant-<code>" */
};

/* Fills p for an acquirer (merchant_code NULL) or a merchant's POS. */
void credit_peer_set(struct credit_peer *p, const char *merchant_code);

/* "Who may send what": NULL when peer may send m, else the code to answer
 * (58), nothing stored.  An acquirer: a 0100 with field 2 and none of
 * 60-62, 0400/0401, 0600, 0800.  A merchant: a 0100 without field 2, its
 * 0400/0401, 0800, each with field 42 its certificate's code. */
const char *credit_permission(const struct credit_peer *peer, const struct iso_msg *m);

/* A token 0100 (no fields 2 and 14; 60 key ID, 61 encrypted number, 62
 * expiry), checked: base holds the common fields (pan and expiry empty). */
struct token_request {
  struct credit_request base;
  char key_id[23];       /* field 60 */
  char number[64];       /* field 61: the encrypted card number's text */
  char token_expiry[15]; /* field 62: YYYYMMDDhhmmss UTC */
};

/* Reads and checks a token 0100's fields.  False with the failing field in
 * *bad_field: answered 30. */
bool credit_token_request_parse(const struct iso_msg *msg, struct token_request *tr, int *bad_field);

/* A 0600: the gateway delivers a token key. */
struct key_delivery {
  int64_t amount;   /* field 4 */
  char currency[4]; /* field 49 */
  char stan[7];     /* field 11 */
  char transmission_time[11];
  char terminal_id[9];    /* field 41, trimmed */
  char merchant_code[16]; /* field 42, trimmed */
  char key_id[23];        /* field 60 */
  char number[64];        /* field 61 */
  char token_expiry[15];  /* field 62 */
  char key_text[44];      /* field 63: tokencrypt's key text (wiped by the caller) */
};

/* Reads and checks a 0600's fields.  False with the failing field: 30. */
bool credit_key_delivery_parse(const struct iso_msg *msg, struct key_delivery *kd, int *bad_field);

/* The token's expiry (YYYYMMDDhhmmss) as "YYYY-MM-DD hh:mm:ss+00" for a
 * timestamptz parameter; false when it is no date. */
bool credit_token_expiry_timestamp(const char *expiry, char out[CREDIT_TIMESTAMP_LEN]);

/* The AAD a token key is sealed with under the issuer's data key:
 * "paygw-token-key|" + key ID; its length. */
#define CREDIT_TOKEN_KEY_AAD_MAX 48
int credit_token_key_aad(const char *key_id, unsigned char out[CREDIT_TOKEN_KEY_AAD_MAX]);

/* The steps of a token 0100 decided in this process, in the order of the
 * decline table (the rest, 63 03 13 54 and the card rules, are
 * issuer.token_decide and issuer.decide): 58 not permitted, 30 format, 14
 * no such key or the number does not open; NULL when the database is next. */
const char *credit_token_early_code(bool permitted, bool well_formed, bool key_found, bool number_opens);

/* The outcome of a 0100 as answered (new, or the first answer again). */
struct authorize_result {
  char response_code[3];
  char approval_code[7]; /* "" unless approved */
  bool duplicate;        /* the same STAN, terminal and time was seen before */
  unsigned differs;      /* a key match that is another request (CREDIT_DIFF_*): answered 94 */
  bool charged;          /* this call moved the balance */
};

/* The key of the original 0100 as in field 90, and the reversal's fields. */
struct reversal_request {
  char stan[7], transmission_time[11], terminal_id[9];
  long transmitted_at; /* the original's field 7 as a full time */
  char merchant_code[16], currency[4];
  int64_t amount;
};

enum reversal_outcome {
  REVERSAL_UNDONE,    /* an approved authorization was undone now: 00 */
  REVERSAL_ALREADY,   /* already reversed, or was declined: 00, nothing to undo */
  REVERSAL_NOT_FOUND, /* never seen: recorded void so a late original is refused: 25 */
};

/* A refund advice (0220/0221): its own key (STAN, field 7, terminal), the
 * original 0100's key from field 90, and what it refunds. */
struct refund_request {
  char stan[7], transmission_time[11], terminal_id[9];
  long transmitted_at; /* field 7 as a full time */
  char original_stan[7], original_transmission_time[11];
  long original_transmitted_at;
  char merchant_code[16], currency[4];
  int64_t amount;
};

enum refund_outcome {
  REFUND_DECIDED,  /* decided and recorded now (00 lowered the balance) */
  REFUND_REPLAYED, /* the key holds this same refund: its stored answer */
  REFUND_CONFLICT, /* the key holds another refund: 94, nothing stored */
};

/* Reads and checks a 0220/0221 (refund.c): field 3 200000, 4 of 1 up to
 * 999999999999, 7 a date and time within half a year of now, 11, 41, 42,
 * 49, and 90 naming a 0100 (its time placed in its year at now).  Returns
 * true, or false with the failing field in *bad_field (answered 30). */
bool credit_refund_parse(const struct iso_msg *m, long now, struct refund_request *rf, int *bad_field);

/* Reads and checks the fields of a 0100.  Returns true, or false with the
 * failing field number in *bad_field (for the log; 0 when not a field). */
bool credit_request_parse(const struct iso_msg *msg, struct credit_request *rq, int *bad_field);

/* Fills out[7] with a random approval code (6 of 0-9A-Z).  Returns 0 or -1. */
int credit_approval_code(char out[7]);

/* Copies src without trailing spaces into dst (cap bytes). */
void credit_rtrim_copy(char *dst, size_t cap, const char *src);

/* --- duplicate.c: the key and the duplicate check --------------------------- */

/* Field 7 (MMDDhhmmss, UTC, no year) as a point in time: in the year, of
 * last, this and next year at `now`, that puts it nearest to now — so a
 * 0100 sent at 23:59:59 on 31 December and read after midnight keeps its
 * year, and one sent just after midnight read by a clock still in the old
 * year gets the new one.  Returns 0 with *out (seconds since the epoch), or
 * -1 when field 7 is no date and time (month 13, 31 April, hour 24, ...) or
 * lies more than half a year from now (29 February far from a leap year). */
int credit_transmission_instant(const char *field7, long now, long *out);

/* "YYYY-MM-DD hh:mm:ss+00" of t, for a timestamptz parameter. */
void credit_timestamp_text(long t, char out[CREDIT_TIMESTAMP_LEN]);

/* What differs between a 0100 and the request its key already holds, as
 * issuer.do_authorize (sql/0012) reports it: the same bits. */
enum {
  CREDIT_DIFF_CARD = 1,
  CREDIT_DIFF_AMOUNT = 2,
  CREDIT_DIFF_MERCHANT = 4,
  CREDIT_DIFF_CURRENCY = 8,
};

/* "card amount merchant currency" (the differing ones) for the log. */
void credit_differs_text(unsigned differs, char *out, size_t cap);

#endif
