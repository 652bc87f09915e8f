/* test_iso8583.c — the ISO 8583 codec: round trips of every message type
 * paygw uses, one test per kind of malformed input, the hand-written 0100 of
 * docs/iso8583.md and field 48's method encoding.  Framing on TCP is
 * tests/unit/test_iso8583_frame.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "iso8583/iso8583.h"

#include <stdio.h>
#include <string.h>

/* The example of docs/iso8583.md, byte for byte. */
static const char example_0100_hex[] = "30313030723c040008c1800031363135"
                                       "32353030303031323334353637383030"
                                       "30303030303030303030303032353932"
                                       "31313235303934333033303030303432"
                                       "30393433303331313235333031323031"
                                       "30303934333033303030303432706f73"
                                       "2d313131313131313131313131313120"
                                       "20202020303036504d4c203030333932";

static size_t from_hex(const char *hex, uint8_t *out)
{
  size_t n = strlen(hex) / 2;
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
  return n;
}

static void build_0100(struct iso_msg *m)
{
  char f48[7];
  iso_msg_init(m, ISO_MTI_AUTH_REQUEST);
  assert_int_equal(iso_set(m, ISO_F_PAN, "1525000012345678"), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_PROCESSING_CODE, "000000"), ISO_OK);
  assert_int_equal(iso_set_num(m, ISO_F_AMOUNT, 2592), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_TRANSMISSION_TIME, "1125094303"), ISO_OK);
  assert_int_equal(iso_set_num(m, ISO_F_STAN, 42), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_LOCAL_TIME, "094303"), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_LOCAL_DATE, "1125"), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_EXPIRY, "3012"), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_POS_ENTRY_MODE, "010"), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_RRN, "094303000042"), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_TERMINAL_ID, "pos-1111"), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_MERCHANT_ID, "1111111111     "), ISO_OK);
  assert_int_equal(iso_method_encode("L", 0, f48), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_PRIVATE_ADDITIONAL, f48), ISO_OK);
  assert_int_equal(iso_set(m, ISO_F_CURRENCY, "392"), ISO_OK);
}

static void decodes_the_documented_0100(void **state)
{
  (void)state;
  uint8_t bytes[256];
  struct iso_msg m;
  size_t n = from_hex(example_0100_hex, bytes);

  assert_int_equal(n, 128);
  assert_int_equal(iso_unpack(&m, bytes, n), ISO_OK);
  assert_string_equal(m.mti, "0100");
  assert_string_equal(iso_get(&m, 2), "1525000012345678");
  assert_string_equal(iso_get(&m, 3), "000000");
  assert_string_equal(iso_get(&m, 4), "000000002592");
  assert_string_equal(iso_get(&m, 7), "1125094303");
  assert_string_equal(iso_get(&m, 11), "000042");
  assert_string_equal(iso_get(&m, 12), "094303");
  assert_string_equal(iso_get(&m, 13), "1125");
  assert_string_equal(iso_get(&m, 14), "3012");
  assert_string_equal(iso_get(&m, 22), "010");
  assert_string_equal(iso_get(&m, 37), "094303000042");
  assert_string_equal(iso_get(&m, 41), "pos-1111");
  assert_string_equal(iso_get(&m, 42), "1111111111     ");
  assert_string_equal(iso_get(&m, 48), "PML 00");
  assert_string_equal(iso_get(&m, 49), "392");
  assert_null(iso_get(&m, 38));
  assert_null(iso_get(&m, 39));

  /* and our encoder writes exactly those bytes */
  struct iso_msg built;
  uint8_t out[256];
  size_t len;
  build_0100(&built);
  assert_int_equal(iso_pack(&built, out, sizeof out, &len), ISO_OK);
  assert_int_equal(len, n);
  assert_memory_equal(out, bytes, n);
}

static void round_trip(struct iso_msg *m)
{
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  struct iso_msg back;

  assert_int_equal(iso_pack(m, buf, sizeof buf, &len), ISO_OK);
  assert_int_equal(iso_unpack(&back, buf, len), ISO_OK);
  assert_string_equal(back.mti, m->mti);
  for (int f = 2; f <= ISO8583_MAX_FIELD; f++) {
    assert_int_equal(back.present[f], m->present[f]);
    if (m->present[f])
      assert_string_equal(iso_get(&back, f), iso_get(m, f));
  }
}

static void every_message_type_round_trips(void **state)
{
  (void)state;
  struct iso_msg m;

  build_0100(&m);
  round_trip(&m);

  iso_msg_init(&m, ISO_MTI_AUTH_RESPONSE);
  iso_set_num(&m, ISO_F_AMOUNT, 2592);
  iso_set_num(&m, ISO_F_STAN, 42);
  iso_set(&m, ISO_F_TRANSMISSION_TIME, "1125094303");
  assert_int_equal(iso_set(&m, ISO_F_APPROVAL_CODE, "A1B2C3"), ISO_OK);
  assert_int_equal(iso_set(&m, ISO_F_RESPONSE_CODE, "00"), ISO_OK);
  round_trip(&m);

  const char *reversals[] = { ISO_MTI_REVERSAL_ADVICE, ISO_MTI_REVERSAL_REPEAT, ISO_MTI_REVERSAL_RESPONSE };
  for (int i = 0; i < 3; i++) {
    iso_msg_init(&m, reversals[i]);
    iso_set_num(&m, ISO_F_STAN, 42);
    iso_set(&m, ISO_F_TERMINAL_ID, "pos-1111");
    assert_int_equal(iso_set(&m, ISO_F_ORIGINAL_DATA, "0100000042112509430300000000000000000000000"), ISO_ERR_LENGTH);
    assert_int_equal(iso_set(&m, ISO_F_ORIGINAL_DATA, "010000004211250943030000000000000000000000"), ISO_OK);
    round_trip(&m);
    uint8_t buf[256];
    size_t len;
    iso_pack(&m, buf, sizeof buf, &len);
    assert_true(buf[4] & 0x80); /* field 90 needs the secondary bitmap */
  }

  iso_msg_init(&m, ISO_MTI_NETWORK_REQUEST);
  iso_set(&m, ISO_F_TRANSMISSION_TIME, "1125094303");
  iso_set_num(&m, ISO_F_STAN, 7);
  assert_int_equal(iso_set(&m, ISO_F_NETWORK_CODE, "301"), ISO_OK);
  round_trip(&m);
  iso_msg_init(&m, ISO_MTI_NETWORK_RESPONSE);
  iso_set_num(&m, ISO_F_STAN, 7);
  iso_set(&m, ISO_F_RESPONSE_CODE, "00");
  iso_set(&m, ISO_F_NETWORK_CODE, "301");
  round_trip(&m);

  iso_msg_init(&m, ISO_MTI_ADMIN_REQUEST);
  iso_set_num(&m, ISO_F_STAN, 8);
  assert_int_equal(iso_set(&m, 62, "key=00112233;token=abc"), ISO_OK);
  round_trip(&m);
}

static int unpack_hex(const char *hex)
{
  uint8_t buf[600];
  struct iso_msg m;
  return iso_unpack(&m, buf, from_hex(hex, buf));
}

/* MTI 0800, primary bitmap with only field 11 (0x00 0x20 ...). */
#define MTI_0800 "30383030"
#define BITMAP_F11 "0020000000000000"

static void malformed_input_is_refused(void **state)
{
  (void)state;
  assert_int_equal(unpack_hex(""), ISO_ERR_SHORT);
  assert_int_equal(unpack_hex("303830"), ISO_ERR_SHORT);                             /* short MTI */
  assert_int_equal(unpack_hex("30383041" BITMAP_F11 "303030303037"), ISO_ERR_MTI);   /* 080A */
  assert_int_equal(unpack_hex(MTI_0800 "00200000"), ISO_ERR_SHORT);                  /* short bitmap */
  assert_int_equal(unpack_hex(MTI_0800 BITMAP_F11 "3030"), ISO_ERR_SHORT);           /* short fixed field */
  assert_int_equal(unpack_hex(MTI_0800 BITMAP_F11 "303030303037"), ISO_OK);          /* the good one */
  assert_int_equal(unpack_hex(MTI_0800 BITMAP_F11 "3030303030413"), ISO_ERR_FORMAT); /* 'A' in n */
  assert_int_equal(unpack_hex(MTI_0800 BITMAP_F11 "30303030303730"), ISO_ERR_LONG);  /* trailing byte */
  /* field 2: LL = "1x" (not digits), LL = 20 (over 19), LL = 16 with 3 bytes */
  assert_int_equal(unpack_hex(MTI_0800 "4000000000000000"
                                       "3178"),
                   ISO_ERR_LENGTH);
  assert_int_equal(unpack_hex(MTI_0800 "4000000000000000"
                                       "3230"),
                   ISO_ERR_LENGTH);
  assert_int_equal(unpack_hex(MTI_0800 "4000000000000000"
                                       "3136313233"),
                   ISO_ERR_SHORT);
  /* field 41 (ans 8) with a control character */
  assert_int_equal(unpack_hex(MTI_0800 "0000000000800000"
                                       "706f732d31310a31"),
                   ISO_ERR_FORMAT);
  /* field 5 is not in our dictionary */
  assert_int_equal(unpack_hex(MTI_0800 "0800000000000000"
                                       "303030303030303030303030"),
                   ISO_ERR_FIELD);
  /* secondary bitmap flagged but empty; and bit 65 (a tertiary bitmap) */
  assert_int_equal(unpack_hex(MTI_0800 "8020000000000000"
                                       "0000000000000000"
                                       "303030303037"),
                   ISO_ERR_BITMAP);
  assert_int_equal(unpack_hex(MTI_0800 "8000000000000000"
                                       "8000000000000000"),
                   ISO_ERR_BITMAP);
  /* bit 65 next to a real secondary field; the same without bit 65 is fine */
  assert_int_equal(unpack_hex(MTI_0800 "8000000000000000"
                                       "8400000000000000"
                                       "333031"),
                   ISO_ERR_BITMAP);
  assert_int_equal(unpack_hex(MTI_0800 "8000000000000000"
                                       "0400000000000000"
                                       "333031"),
                   ISO_OK);
  /* field 128 (a MAC) is not in our dictionary either */
  assert_int_equal(unpack_hex(MTI_0800 "8000000000000000"
                                       "0000000000000001"
                                       "3030303030303030"),
                   ISO_ERR_FIELD);
  /* field 48 (LLLVAR): a letter in the prefix, and a prefix beyond the input */
  assert_int_equal(unpack_hex(MTI_0800 "0000000000010000"
                                       "3061363030303030303030"),
                   ISO_ERR_LENGTH);
  assert_int_equal(unpack_hex(MTI_0800 "0000000000010000"
                                       "303036504d4c20"),
                   ISO_ERR_SHORT);
  assert_int_equal(unpack_hex(MTI_0800 "0000000000010000"
                                       "303036504d4c203030"),
                   ISO_OK);
  /* field 39 (an 2) with a hyphen */
  assert_int_equal(unpack_hex(MTI_0800 "0000000002000000"
                                       "2d31"),
                   ISO_ERR_FORMAT);
  /* secondary bitmap announced but missing */
  assert_int_equal(unpack_hex(MTI_0800 "8000000000000000"
                                       "0000"),
                   ISO_ERR_SHORT);

  uint8_t big[ISO8583_MAX_MESSAGE + 1] = { '0', '8', '0', '0' };
  struct iso_msg m;
  assert_int_equal(iso_unpack(&m, big, sizeof big), ISO_ERR_LONG);
}

static void setting_checks_the_dictionary(void **state)
{
  (void)state;
  struct iso_msg m;
  uint8_t buf[16];
  size_t len;

  iso_msg_init(&m, "0100");
  assert_int_equal(iso_set(&m, ISO_F_AMOUNT, "12"), ISO_ERR_LENGTH);
  assert_int_equal(iso_set(&m, ISO_F_STAN, "00004x"), ISO_ERR_FORMAT);
  assert_int_equal(iso_set(&m, ISO_F_PAN, "12345678901234567890"), ISO_ERR_LENGTH);
  assert_int_equal(iso_set(&m, 5, "000000000000"), ISO_ERR_FIELD);
  assert_int_equal(iso_set(&m, 129, "1"), ISO_ERR_FIELD);
  assert_int_equal(iso_set(&m, 1, "1"), ISO_ERR_FIELD);
  assert_int_equal(iso_set_num(&m, ISO_F_STAN, 1000000), ISO_ERR_LENGTH);
  iso_set(&m, ISO_F_STAN, "000001");
  assert_int_equal(iso_pack(&m, buf, sizeof buf, &len), ISO_ERR_SPACE);
  iso_msg_init(&m, "01A0");
  assert_int_equal(iso_pack(&m, buf, sizeof buf, &len), ISO_ERR_MTI);
  assert_string_equal(iso_strerror(ISO_ERR_BITMAP), "the bitmap is malformed");
}

/* Fills field f with n characters of printable text. */
static void set_long(struct iso_msg *m, int f, size_t n)
{
  char text[1000];
  memset(text, 'x', n);
  text[n] = '\0';
  assert_int_equal(iso_set(m, f, text), ISO_OK);
}

static void the_largest_message_and_one_byte_more(void **state)
{
  (void)state;
  struct iso_msg m, back;
  static uint8_t buf[ISO8583_MAX_MESSAGE + 64];
  size_t len = 0;

  /* 4 MTI + 8 bitmap + 3 x 3 LLL + 999 + 999 + 29 = 2048 exactly */
  iso_msg_init(&m, ISO_MTI_ADMIN_REQUEST);
  set_long(&m, 48, 999);
  set_long(&m, 60, 999);
  set_long(&m, 61, 29);
  assert_int_equal(iso_pack(&m, buf, sizeof buf, &len), ISO_OK);
  assert_int_equal(len, ISO8583_MAX_MESSAGE);
  assert_int_equal(iso_unpack(&back, buf, len), ISO_OK);
  assert_int_equal(strlen(iso_get(&back, 61)), 29);

  set_long(&m, 61, 30);
  assert_int_equal(iso_pack(&m, buf, sizeof buf, &len), ISO_ERR_LONG);
  /* with a caller's buffer smaller than the message it is a space problem */
  assert_int_equal(iso_pack(&m, buf, 100, &len), ISO_ERR_SPACE);
  /* a value longer than its field's maximum is refused when set */
  char over[1001];
  memset(over, 'x', 1000);
  over[1000] = '\0';
  assert_int_equal(iso_set(&m, 62, over), ISO_ERR_LENGTH);
  assert_int_equal(iso_set(&m, 62, "tab\there"), ISO_ERR_FORMAT);
}

/* iso_set_padded pads to the dictionary's length, never cuts. */
static void padding_follows_the_dictionary(void **state)
{
  (void)state;
  struct iso_msg m;
  iso_msg_init(&m, ISO_MTI_AUTH_REQUEST);
  assert_int_equal(iso_set_padded(&m, ISO_F_TERMINAL_ID, "pos-1"), ISO_OK);
  assert_string_equal(iso_get(&m, ISO_F_TERMINAL_ID), "pos-1   ");
  assert_int_equal(iso_set_padded(&m, ISO_F_MERCHANT_ID, "1111111111"), ISO_OK);
  assert_string_equal(iso_get(&m, ISO_F_MERCHANT_ID), "1111111111     ");
  assert_int_equal(iso_set_padded(&m, ISO_F_STAN, "42"), ISO_OK);
  assert_string_equal(iso_get(&m, ISO_F_STAN), "000042");
  assert_int_equal(iso_set_padded(&m, ISO_F_RESPONSE_CODE, "00"), ISO_OK); /* already full */
  assert_string_equal(iso_get(&m, ISO_F_RESPONSE_CODE), "00");
  assert_int_equal(iso_set_padded(&m, ISO_F_PAN, "1525000012345678"), ISO_OK); /* variable: as it is */
  assert_string_equal(iso_get(&m, ISO_F_PAN), "1525000012345678");
  assert_int_equal(iso_set_padded(&m, ISO_F_TERMINAL_ID, "pos-11111"), ISO_ERR_LENGTH); /* 9: not cut */
  assert_int_equal(iso_set_padded(&m, ISO_F_STAN, "4a"), ISO_ERR_FORMAT);
  assert_int_equal(iso_set_padded(&m, 5, "1"), ISO_ERR_FIELD);
  assert_int_equal(iso_field_length(ISO_F_TERMINAL_ID), 8);
  assert_int_equal(iso_field_length(ISO_F_PAN), 0);
  assert_int_equal(iso_field_length(5), 0);
}

/* Field 90 as docs/iso8583.md spells it out, and back. */
static void original_data_of_a_reversal(void **state)
{
  (void)state;
  char f90[64], mti[5], stan[7], t[11];
  assert_int_equal(iso_original_encode("0100", "000042", "1125094303", f90, sizeof f90), ISO_OK);
  assert_string_equal(f90, "010000004211250943030000000000000000000000");
  assert_int_equal(iso_original_decode(f90, mti, sizeof mti, stan, sizeof stan, t, sizeof t), ISO_OK);
  assert_string_equal(mti, "0100");
  assert_string_equal(stan, "000042");
  assert_string_equal(t, "1125094303");
  assert_int_equal(iso_original_encode("0100", "42", "1125094303", f90, sizeof f90), ISO_ERR_LENGTH);
  assert_int_equal(iso_original_encode("0100", "000042", "112509430", f90, sizeof f90), ISO_ERR_LENGTH);
  assert_int_equal(iso_original_encode("0100", "000042", "1125094303", f90, 42), ISO_ERR_SPACE);
  assert_int_equal(
      iso_original_decode("01000000421125094303000000000000000000000", mti, sizeof mti, stan, sizeof stan, t, sizeof t),
      ISO_ERR_LENGTH); /* 41 digits */
  assert_int_equal(iso_original_decode("0100000042112509430300000000000000000000x0", mti, sizeof mti, stan, sizeof stan,
                                       t, sizeof t),
                   ISO_ERR_FORMAT);
  assert_int_equal(iso_original_decode(f90, mti, sizeof mti, stan, 6, t, sizeof t), ISO_ERR_LENGTH);
  assert_int_equal(iso_original_decode(NULL, mti, sizeof mti, stan, sizeof stan, t, sizeof t), ISO_ERR_LENGTH);
}

static void method_field_encoding(void **state)
{
  (void)state;
  char out[7], method[3];
  int n;

  assert_int_equal(iso_method_encode("L", 0, out), ISO_OK);
  assert_string_equal(out, "PML 00");
  assert_int_equal(iso_method_encode("pB", 0, out), ISO_OK);
  assert_string_equal(out, "PMpB00");
  assert_int_equal(iso_method_encode("I", 12, out), ISO_OK);
  assert_string_equal(out, "PMI 12");
  assert_int_equal(iso_method_encode("I", 1, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode("I", 100, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode("L", 3, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode("X", 0, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("PMI 12", method, &n), ISO_OK);
  assert_string_equal(method, "I");
  assert_int_equal(n, 12);
  assert_int_equal(iso_method_decode("PMpB00", method, &n), ISO_OK);
  assert_string_equal(method, "pB");
  assert_int_equal(iso_method_decode("PMR 03", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("PMZ 00", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("PML 0", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode(NULL, method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode("I", 2, out), ISO_OK);
  assert_string_equal(out, "PMI 02");
  assert_int_equal(iso_method_encode("I", 99, out), ISO_OK);
  assert_int_equal(iso_method_decode(out, method, &n), ISO_OK);
  assert_int_equal(n, 99);
  assert_int_equal(iso_method_encode("I", 0, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode("B", -1, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode(NULL, 0, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode("", 0, out), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_encode("pb", 0, out), ISO_ERR_FORMAT); /* case matters */
  assert_int_equal(iso_method_decode("PMI 01", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("PMI 1x", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("PM L00", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("XXL 00", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("PML 000", method, &n), ISO_ERR_FORMAT);
  assert_int_equal(iso_method_decode("PMR 00", method, &n), ISO_OK);
  assert_string_equal(method, "R");
  assert_int_equal(n, 0);
  assert_string_equal(iso_response_text("51"), "over the credit limit");
  assert_string_equal(iso_response_text("77"), "declined by the issuer");
  assert_string_equal(iso_response_text(NULL), "declined by the issuer");
  /* every code we answer has its own text (05 is the generic decline) */
  const char *codes[] = { "00", "03", "14", "25", "30", "51", "54", "57", "91", "94", "96" };
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    assert_string_not_equal(iso_response_text(codes[i]), "declined by the issuer");
  assert_string_equal(iso_response_text("91"), "the issuer is not available");
  assert_string_equal(iso_response_text("14"), "the card number is not known to the issuer");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(decodes_the_documented_0100),
    cmocka_unit_test(every_message_type_round_trips),
    cmocka_unit_test(malformed_input_is_refused),
    cmocka_unit_test(setting_checks_the_dictionary),
    cmocka_unit_test(the_largest_message_and_one_byte_more),
    cmocka_unit_test(method_field_encoding),
    cmocka_unit_test(padding_follows_the_dictionary),
    cmocka_unit_test(original_data_of_a_reversal),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
