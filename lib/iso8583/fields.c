/* fields.c — the ISO 8583:1987 data elements paygw speaks, and the only
 * place their formats are declared: every other part (the codec, the
 * gateway's issuer link, the credit server, iso-send, docs/iso8583.md's
 * table, checked by tests/unit/test_iso8583_doc.c) asks iso_field_def().
 * One row per field, indexed by its number and tagged with it, as jPOS
 * numbers its packager rows.  A field outside this table cannot be decoded
 * (its length is unknown), so the codec refuses it rather than guess. */
#include "iso8583/iso8583.h"

#include <stddef.h>

/* One row per field, tagged, as test_iso8583_doc reads it. */
/* clang-format off */
#define N(len)      .type = ISO_TYPE_N, .len_kind = ISO_LEN_FIXED, .max_len = (len)
#define AN(len)     .type = ISO_TYPE_AN, .len_kind = ISO_LEN_FIXED, .max_len = (len)
#define ANS(len)    .type = ISO_TYPE_ANS, .len_kind = ISO_LEN_FIXED, .max_len = (len)
#define N_LL(max)   .type = ISO_TYPE_N, .len_kind = ISO_LEN_LLVAR, .max_len = (max)
#define ANS_LLL(max) .type = ISO_TYPE_ANS, .len_kind = ISO_LEN_LLLVAR, .max_len = (max)

static const struct iso_field_def dictionary[ISO8583_MAX_FIELD + 1] = {
/*002*/ [2] = { N_LL(19), .name = "primary account number" },
/*003*/ [3] = { N(6), .name = "processing code" },
/*004*/ [4] = { N(12), .name = "amount, transaction" },
/*007*/ [7] = { N(10), .name = "transmission date and time" },
/*011*/ [11] = { N(6), .name = "system trace audit number" },
/*012*/ [12] = { N(6), .name = "time, local transaction" },
/*013*/ [13] = { N(4), .name = "date, local transaction" },
/*014*/ [14] = { N(4), .name = "date, expiration" },
/*022*/ [22] = { N(3), .name = "point of service entry mode" },
/*037*/ [37] = { AN(12), .name = "retrieval reference number" },
/*038*/ [38] = { AN(6), .name = "authorization identification response" },
/*039*/ [39] = { AN(2), .name = "response code" },
/*041*/ [41] = { ANS(8), .name = "card acceptor terminal identification" },
/*042*/ [42] = { ANS(15), .name = "card acceptor identification code" },
/*048*/ [48] = { ANS_LLL(999), .name = "additional data, private" },
/*049*/ [49] = { N(3), .name = "currency code, transaction" },
/*060*/ [60] = { ANS_LLL(999), .name = "reserved for private use" },
/*061*/ [61] = { ANS_LLL(999), .name = "reserved for private use" },
/*062*/ [62] = { ANS_LLL(999), .name = "reserved for private use" },
/*063*/ [63] = { ANS_LLL(999), .name = "reserved for private use" },
/*070*/ [70] = { N(3), .name = "network management information code" },
/*090*/ [90] = { N(42), .name = "original data elements" },
};
/* clang-format on */

const struct iso_field_def *iso_field_def(int number)
{
  if (number < 2 || number > ISO8583_MAX_FIELD || !dictionary[number].name)
    return NULL;
  return &dictionary[number];
}

int iso_field_length(int number)
{
  const struct iso_field_def *def = iso_field_def(number);

  return def && def->len_kind == ISO_LEN_FIXED ? def->max_len : 0;
}
