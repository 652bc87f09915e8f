/* iso8583.h — ISO 8583:1987 messages as paygw speaks them: ASCII MTI, binary
 * primary bitmap (and secondary bitmap only when a field above 64 is
 * present), numeric fields as ASCII digits at their standard lengths, LLVAR /
 * LLLVAR length prefixes as 2 / 3 ASCII digits.  Each field's format is
 * declared once, in fields.c (iso_field_def); docs/iso8583.md's table says
 * the same, and tests/unit/test_iso8583_doc.c holds the two together.
 *
 * Values are held as text (binary fields are not used by paygw and are
 * refused).  A message owns its storage: no allocation, so a decoder fed
 * hostile bytes can only fail, never leak or read past its input. */
#ifndef PAYGW_ISO8583_H
#define PAYGW_ISO8583_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISO8583_MAX_FIELD 128
/* Largest message body we send or accept (without the 2-byte frame header). */
#define ISO8583_MAX_MESSAGE 2048

/* Message type indicators paygw uses. */
#define ISO_MTI_AUTH_REQUEST "0100"
#define ISO_MTI_AUTH_RESPONSE "0110"
#define ISO_MTI_ADMIN_REQUEST "0600" /* reserved: second-embodiment token keys */
#define ISO_MTI_ADMIN_RESPONSE "0610"
#define ISO_MTI_REFUND_ADVICE "0220" /* a refund of an approved 0100 (processing code 200000) */
#define ISO_MTI_REFUND_REPEAT "0221" /* its repeat: the same content, after no 0230 */
#define ISO_MTI_REFUND_RESPONSE "0230"
#define ISO_MTI_REVERSAL_ADVICE "0400"
#define ISO_MTI_REVERSAL_REPEAT "0401"
#define ISO_MTI_REVERSAL_RESPONSE "0410"
#define ISO_MTI_NETWORK_REQUEST "0800"
#define ISO_MTI_NETWORK_RESPONSE "0810"

/* Field numbers paygw uses (ISO 8583:1987 data dictionary names).  Their
 * formats and lengths: fields.c, and nowhere else. */
enum iso_field {
  ISO_F_PAN = 2,               /* primary account number */
  ISO_F_PROCESSING_CODE = 3,   /* "000000" purchase, "200000" refund */
  ISO_F_AMOUNT = 4,            /* minor units, zero-padded */
  ISO_F_TRANSMISSION_TIME = 7, /* MMDDhhmmss UTC */
  ISO_F_STAN = 11,             /* system trace audit number */
  ISO_F_LOCAL_TIME = 12,       /* hhmmss */
  ISO_F_LOCAL_DATE = 13,       /* MMDD */
  ISO_F_EXPIRY = 14,           /* YYMM */
  ISO_F_POS_ENTRY_MODE = 22,
  ISO_F_RRN = 37, /* retrieval reference number */
  ISO_F_APPROVAL_CODE = 38,
  ISO_F_RESPONSE_CODE = 39,
  ISO_F_TERMINAL_ID = 41,        /* the terminal's ISO terminal ID, space padded */
  ISO_F_MERCHANT_ID = 42,        /* the merchant code, space padded */
  ISO_F_PRIVATE_ADDITIONAL = 48, /* payment method, see iso_method_* */
  ISO_F_CURRENCY = 49,           /* ISO 4217 numeric */
  ISO_F_TOKEN_KEY_ID = 60,       /* token sales (0600, token 0100): the key ID (tokencrypt) */
  ISO_F_TOKEN_NUMBER = 61,       /* the encrypted card number */
  ISO_F_TOKEN_EXPIRY = 62,       /* the token's expiry, YYYYMMDDhhmmss UTC */
  ISO_F_TOKEN_KEY = 63,          /* 0600 only: the key itself (tokencrypt's text) */
  ISO_F_NETWORK_CODE = 70,       /* 0800: "301" echo */
  ISO_F_ORIGINAL_DATA = 90,      /* reversal: see iso_original_encode */
};

enum iso_error {
  ISO_OK = 0,
  ISO_ERR_SHORT = -1,  /* input ends inside a field, bitmap or MTI */
  ISO_ERR_LONG = -2,   /* bytes left over after the last field, or over the maximum */
  ISO_ERR_MTI = -3,    /* MTI not 4 ASCII digits */
  ISO_ERR_BITMAP = -4, /* field 1 set without fields > 64, field 65 set, or an unsupported field */
  ISO_ERR_LENGTH = -5, /* bad LL/LLL prefix, or value length outside the field's bounds */
  ISO_ERR_FORMAT = -6, /* a character the field's type does not allow */
  ISO_ERR_FIELD = -7,  /* field number outside 2..128 or not in our dictionary */
  ISO_ERR_SPACE = -8,  /* output buffer too small */
};

enum iso_type { ISO_TYPE_N, ISO_TYPE_AN, ISO_TYPE_ANS };
enum iso_len { ISO_LEN_FIXED, ISO_LEN_LLVAR, ISO_LEN_LLLVAR };

struct iso_field_def {
  enum iso_type type;
  enum iso_len len_kind;
  int max_len; /* the length of a fixed field */
  const char *name;
};

/* The dictionary entry for a field, or NULL when paygw does not know it. */
const struct iso_field_def *iso_field_def(int number);

/* The length of a fixed field, or 0 for a variable or unknown one. */
int iso_field_length(int number);

struct iso_msg {
  char mti[5];
  bool present[ISO8583_MAX_FIELD + 1];
  uint16_t offset[ISO8583_MAX_FIELD + 1]; /* into store */
  uint16_t length[ISO8583_MAX_FIELD + 1];
  char store[ISO8583_MAX_MESSAGE + ISO8583_MAX_FIELD + 1]; /* values, each NUL-terminated */
  size_t store_used;
};

/* Clears msg and sets its MTI ("0100"). */
void iso_msg_init(struct iso_msg *msg, const char *mti);

/* Sets a field after checking it against the dictionary (type, length).
 * Returns ISO_OK or an iso_error. */
int iso_set(struct iso_msg *msg, int field, const char *value);
/* Sets a numeric fixed field from a number, zero-padded to its length. */
int iso_set_num(struct iso_msg *msg, int field, uint64_t value);
/* Sets a fixed field from a value that may be shorter than the field:
 * numeric ones zero-padded on the left, text ones space-padded on the
 * right, to the dictionary's length.  A longer value is ISO_ERR_LENGTH
 * (never cut); a variable field is set as it is. */
int iso_set_padded(struct iso_msg *msg, int field, const char *value);

/* The field's value (NUL-terminated), or NULL when absent. */
const char *iso_get(const struct iso_msg *msg, int field);

/* Encodes msg (MTI, bitmap(s), fields) into out.  ISO_OK and *len, or an
 * iso_error.  Does not add the frame header. */
int iso_pack(const struct iso_msg *msg, uint8_t *out, size_t cap, size_t *len);

/* Decodes exactly `len` bytes into msg; every field checked against the
 * dictionary.  Never reads past in[len-1]. */
int iso_unpack(struct iso_msg *msg, const uint8_t *in, size_t len);

/* A short English description of an iso_error, for logs. */
const char *iso_strerror(int err);

/* The payment method in field 48: "PM" + method padded to 2 ("L ", "I ",
 * "B ", "pB", "R ") + installment count as 2 digits ("00" unless I).
 * iso_method_encode returns ISO_OK or ISO_ERR_FORMAT for an unknown method;
 * iso_method_decode fills method (3 bytes) and *installments. */
int iso_method_encode(const char *method, int installments, char out[7]);
int iso_method_decode(const char *field48, char method[3], int *installments);

/* Field 90 of a reversal: the original's MTI, STAN (field 11) and
 * transmission time (field 7), then the acquiring and forwarding
 * institution IDs, which paygw does not use: zeros to the field's length.
 * iso_original_encode writes it into out (cap bytes) and returns ISO_OK,
 * ISO_ERR_LENGTH when a part is not its field's length, or ISO_ERR_SPACE;
 * iso_original_decode copies the three parts out (each buffer one longer
 * than its field) and returns ISO_OK, ISO_ERR_LENGTH or ISO_ERR_FORMAT. */
int iso_original_encode(const char *mti, const char *stan, const char *transmission_time, char *out, size_t cap);
int iso_original_decode(const char *field90, char *mti, size_t mti_cap, char *stan, size_t stan_cap,
                        char *transmission_time, size_t time_cap);

/* Response codes (field 39) the credit server answers. */
#define ISO_RC_APPROVED "00"
#define ISO_RC_INVALID_MERCHANT "03"
#define ISO_RC_DO_NOT_HONOUR "05"
#define ISO_RC_INVALID_AMOUNT                                                                                          \
  "13" /* a token 0100 whose field 4 or 49 is not the token's; a refund above what is left */
#define ISO_RC_INVALID_CARD "14"
#define ISO_RC_FORMAT_ERROR "30"
#define ISO_RC_OVER_LIMIT "51"
#define ISO_RC_EXPIRED_CARD "54"
#define ISO_RC_NOT_PERMITTED_TO_TERMINAL "58" /* a message the peer's certificate may not send */
#define ISO_RC_SECURITY_VIOLATION "63"        /* a token used again */
#define ISO_RC_NOT_PERMITTED "57"
#define ISO_RC_ORIGINAL_NOT_FOUND "25"
/* Processing codes (field 3). */
#define ISO_PC_PURCHASE "000000"
#define ISO_PC_REFUND "200000"
#define ISO_RC_DUPLICATE "94" /* a 0100 under another's key that is not that request */
#define ISO_RC_SYSTEM_ERROR "96"

/* An English reason for a response code ("over the credit limit"); never NULL. */
const char *iso_response_text(const char *code);

#endif
